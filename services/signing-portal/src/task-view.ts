import type { SigningConfiguration } from '@esign/config';
import { signStatement, type DocumentAction, type SignStatement } from '@esign/temporal-contracts';
import type { MessageKey } from './i18n/index.js';
import type { PortalSession } from './session.js';
import type { FormToFill } from './task-forms.js';
import {
  documentDone,
  documentOpened,
  documentsMissing,
  hasDocumentToSign,
  mayAct,
  nextLogin,
  signatureMethodFor,
  type TaskContext,
} from './task-context.js';

/** Why a Sign was refused, and the field the message belongs next to. */
export type SignProblem =
  | { kind: 'documents'; names: string[] }
  | { kind: 'consent' }
  | { kind: 'signature' }
  | { kind: 'image' }
  /** Form inputs (their names in the Sign form) whose values the PDF's fields do not take. */
  | { kind: 'form'; inputs: string[] };

export interface DocumentRow {
  id: string;
  name: string;
  action: DocumentAction;
  done: boolean;
  /** The signer opened it (a document counts as read once opened; signing waits for every one). */
  opened: boolean;
  /** The signer may open it (identified, and the task holds the document: an UPLOAD one has none). */
  canOpen: boolean;
  canUpload: boolean;
}

/** An identity method as signers see it: its configured display name (in their language) and icon. */
export interface MethodLabel {
  name: string;
  label: string;
  icon?: string;
}

/** Everything the task page shows, decided here (the view only lays it out). */
export interface TaskPage {
  csrf: string;
  documents: DocumentRow[];
  dialog?: { title?: string; message?: string };
  /** Identity methods of the next log-in (the task's authentication, then identifying to sign), if one is due. */
  methods: MethodLabel[];
  /** What the next log-in is for: opening the documents (`identifyToOpen`) or signing them (`identifyIntro`). */
  loginIntro: MessageKey;
  /** What the documents section asks of the signer now. */
  documentsIntro: MessageKey;
  /** Who the signer was identified as, and with which method (its display name). */
  identified?: { name: string; method: string };
  /**
   * The Sign form: the statement the signer consents to (signText and each signTextEntry), if any, and the PDF form
   * fields they fill in (documents whose form the order made `interactive`).
   */
  sign?: { statement?: SignStatement; handwritten: boolean; forms: FormToFill[] };
  reject: boolean;
  postpone: boolean;
  /** The signer may forward the task to another person (its configuration allows it, forwards are left). */
  forward: boolean;
  /** What the signer sent with a refused Sign, to show it again (the consent box, the typed name, form inputs). */
  kept: { consent: boolean; typedName: string; form?: Record<string, string> };
  problem?: SignProblem;
  notice?: MessageKey;
}

/** The task page for this session: the documents and their state, then what the signer may do next. */
export function taskPage(
  ctx: TaskContext,
  session: PortalSession,
  branding: SigningConfiguration,
  labelOf: (method: string) => MethodLabel,
  extra: Partial<Pick<TaskPage, 'kept' | 'problem' | 'notice' | 'forward'>> & { forms?: FormToFill[] } = {},
): TaskPage {
  const allowed = mayAct(ctx.spec, session);
  const stored = new Set(ctx.task.documents.map((d) => d.documentId));
  const documents = ctx.spec.documents.map((d) => {
    const done = documentDone(ctx, d.id, session.viewed);
    return {
      id: d.id,
      name: d.description ?? d.id,
      action: d.action,
      done,
      opened: documentOpened(ctx, d.id, session.viewed),
      canOpen: allowed && stored.has(d.id),
      canUpload: allowed && d.action === 'UPLOAD' && !done,
    };
  });
  const identity = session.identity;
  const statement = signStatement(ctx.spec);
  const login = nextLogin(ctx.spec, session);
  // Who the signer was identified as: to sign, else at the task's log-in (an artifact names nobody).
  const known = identity ?? (session.authenticated?.name ? session.authenticated : undefined);
  return {
    csrf: session.csrf,
    documents,
    ...(ctx.spec.dialog ? { dialog: ctx.spec.dialog } : {}),
    methods: login ? login.methods.map(labelOf) : [],
    loginIntro: login?.step === 'authentication' ? 'identifyToOpen' : 'identifyIntro',
    documentsIntro: !allowed ? 'identifyToOpen' : login ? 'documentsIntro' : 'openToConfirm',
    ...(known ? { identified: { name: known.name!, method: labelOf(known.method).label } } : {}),
    ...(allowed && (identity || !hasDocumentToSign(ctx.spec))
      ? {
          sign: {
            ...(statement ? { statement } : {}),
            handwritten: !!identity && !!signatureMethodFor(ctx.spec, identity.method).handwritten,
            forms: extra.forms ?? [],
          },
        }
      : {}),
    reject: branding.allowReject && allowed,
    postpone: branding.allowPostpone,
    forward: extra.forward ?? false,
    kept: extra.kept ?? { consent: false, typedName: '' },
    ...(extra.problem ? { problem: extra.problem } : {}),
    ...(extra.notice ? { notice: extra.notice } : {}),
  };
}

/** A Sign as the form sent it. */
export interface SignForm {
  consent: boolean;
  /** The drawn or typed mark as a PNG (base64), when the form carried a valid one. */
  png?: string;
  /** Whether the signer typed their name instead of drawing. */
  typed: boolean;
  typedName: string;
  /** A mark was sent but is not a PNG the seal takes (too large, malformed). */
  badImage: boolean;
}

/**
 * Whether the Sign can go ahead: every document opened (to sign or to view) and every UPLOAD document uploaded, the
 * consent given and, for a handwritten method, a mark. The first problem is answered, next to its field.
 */
export function signProblem(ctx: TaskContext, session: PortalSession, form: SignForm): SignProblem | undefined {
  const missing = new Set(documentsMissing(ctx, session.viewed));
  const names = ctx.spec.documents.filter((d) => missing.has(d.id)).map((d) => d.description ?? d.id);
  if (names.length > 0) return { kind: 'documents', names };
  if (!form.consent) return { kind: 'consent' };
  const handwritten = session.identity && signatureMethodFor(ctx.spec, session.identity.method).handwritten;
  if (handwritten && form.badImage) return { kind: 'image' };
  if (handwritten && !form.png) return { kind: 'signature' };
  return undefined;
}
