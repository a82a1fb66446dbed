/** Just enough MIME to read what nodemailer writes: headers, and the parts of a multipart/alternative body. */
export function parseMail(raw: string) {
  const split = (entity: string) => {
    const at = entity.indexOf('\r\n\r\n');
    const head = entity.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const lines = head
      .split('\r\n')
      .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
    return { lines, body: entity.slice(at + 4) };
  };
  const decode = (body: string, encoding = '7bit') => {
    if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
    if (encoding !== 'quoted-printable') return body;
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  };
  const top = split(raw);
  const header = (name: string) => top.lines.filter(([k]) => k === name.toLowerCase()).map(([, v]) => v!);
  const boundary = /boundary="?([^";]+)"?/.exec(header('content-type')[0] ?? '')?.[1];
  const parts: Record<string, string> = {};
  for (const chunk of boundary ? top.body.split(`--${boundary}`).slice(1, -1) : []) {
    const part = split(chunk.replace(/^\r\n/, ''));
    const get = (name: string) => part.lines.find(([k]) => k === name)?.[1];
    const type = (get('content-type') ?? '').split(';')[0]!.trim();
    parts[type] = decode(part.body.replace(/\r\n$/, ''), get('content-transfer-encoding')).replace(/\r\n/g, '\n');
  }
  return { header, headerNames: top.lines.map(([k]) => k), text: parts['text/plain'], html: parts['text/html'] };
}
