import type { NotificationLanguage } from '@esign/temporal-contracts';

// The e-mail template's own words, in every language of the contract (§6). A merchant's `button` and `linkText`
// (notificationTemplateParams) replace the first two; the notice always closes the mail.
export interface EmailTexts {
  /** The button that opens the signer's task. */
  button: string;
  /** Before the task's address written out, for mail clients that show no button. */
  linkText: string;
  /** The closing line under the merchant's footer. */
  notice: string;
}

export const EMAIL_TEXTS: Record<NotificationLanguage, EmailTexts> = {
  ca: {
    button: 'Obre els documents',
    linkText: 'Si el botó no funciona, obre aquest enllaç:',
    notice: 'Aquest és un missatge automàtic; no hi responguis.',
  },
  da: {
    button: 'Åbn dokumenterne',
    linkText: 'Virker knappen ikke, så åbn dette link:',
    notice: 'Dette er en automatisk besked; svar venligst ikke på den.',
  },
  nl: {
    button: 'Open de documenten',
    linkText: 'Werkt de knop niet? Open dan deze link:',
    notice: 'Dit is een automatisch bericht; beantwoord het niet.',
  },
  en: {
    button: 'Open the documents',
    linkText: 'If the button does not work, open this link:',
    notice: 'This is an automated message; please do not reply.',
  },
  et: {
    button: 'Ava dokumendid',
    linkText: 'Kui nupp ei tööta, ava see link:',
    notice: 'See on automaatne sõnum; palun ära sellele vasta.',
  },
  fo: {
    button: 'Lat skjølini upp',
    linkText: 'Riggar knøttið ikki, lat so hetta leinkið upp:',
    notice: 'Hetta eru sjálvvirkin boð; vinarliga svara ikki.',
  },
  fi: {
    button: 'Avaa asiakirjat',
    linkText: 'Jos painike ei toimi, avaa tämä linkki:',
    notice: 'Tämä on automaattinen viesti; älä vastaa siihen.',
  },
  fr: {
    button: 'Ouvrir les documents',
    linkText: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
    notice: 'Ceci est un message automatique ; merci de ne pas y répondre.',
  },
  de: {
    button: 'Dokumente öffnen',
    linkText: 'Falls die Schaltfläche nicht funktioniert, öffnen Sie diesen Link:',
    notice: 'Dies ist eine automatische Nachricht; bitte antworten Sie nicht darauf.',
  },
  kl: {
    button: 'Allakkiat ammakkit',
    linkText: 'Attavik una atorsinnaanngippat, attavik manna ammaruk:',
    notice: 'Nalunaarut una nammineq nassiunneqarpoq; akissuteqaqinagu.',
  },
  it: {
    button: 'Apri i documenti',
    linkText: 'Se il pulsante non funziona, apri questo link:',
    notice: 'Questo è un messaggio automatico; non rispondere.',
  },
  nb: {
    button: 'Åpne dokumentene',
    linkText: 'Virker ikke knappen, åpne denne lenken:',
    notice: 'Dette er en automatisk melding; vennligst ikke svar på den.',
  },
  nn: {
    button: 'Opne dokumenta',
    linkText: 'Verkar ikkje knappen, opne denne lenkja:',
    notice: 'Dette er ei automatisk melding; ver venleg og ikkje svar på henne.',
  },
  es: {
    button: 'Abrir los documentos',
    linkText: 'Si el botón no funciona, abre este enlace:',
    notice: 'Este es un mensaje automático; no respondas a él.',
  },
  sv: {
    button: 'Öppna dokumenten',
    linkText: 'Om knappen inte fungerar, öppna den här länken:',
    notice: 'Detta är ett automatiskt meddelande; svara inte på det.',
  },
};
