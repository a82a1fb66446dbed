/**
 * Checks that a PDF's structure can be found the way a reader finds it: the last `startxref` in the tail names an
 * offset inside the file, a cross-reference table (`xref`) or stream object (`n g obj`) starts there, and `%%EOF`
 * follows. Reads only the tail (kept while streaming) and, when the offset lies before it, a few bytes there:
 * constant memory for any size.
 */
export async function checkPdfTrailer(
  tail: Buffer,
  size: number,
  readAt: (offset: number, length: number) => Promise<Buffer>,
): Promise<boolean> {
  const text = tail.toString('latin1');
  const at = text.lastIndexOf('startxref');
  if (at < 0) return false;
  const match = /^startxref\s+(\d{1,15})\s+%%EOF/.exec(text.slice(at));
  if (!match) return false;
  const offset = Number(match[1]);
  if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= size) return false;
  const tailStart = size - tail.length;
  const head = (
    offset >= tailStart ? tail.subarray(offset - tailStart, offset - tailStart + 64) : await readAt(offset, 64)
  ).toString('latin1');
  return /^\s*xref\b/.test(head) || /^\s*\d+\s+\d+\s+obj\b/.test(head);
}
