// The fonts the platform draws text with: Debian's DejaVu (fonts-dejavu-core), read once per process.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Debian's fonts-dejavu-core; ESIGN_FONT_DIR overrides it. */
export const DEFAULT_FONT_DIR = '/usr/share/fonts/truetype/dejavu';

const fontCache = new Map<string, Promise<Buffer>>();

/** A DejaVu font file's bytes (cached). */
export function dejavuFont(file: 'DejaVuSans.ttf' | 'DejaVuSans-Bold.ttf'): Promise<Buffer> {
  const path = join(process.env.ESIGN_FONT_DIR ?? DEFAULT_FONT_DIR, file);
  let bytes = fontCache.get(path);
  if (!bytes) {
    bytes = readFile(path).catch((err: unknown) => {
      fontCache.delete(path);
      throw new Error(`font ${path} is missing (Debian package fonts-dejavu-core, or set ESIGN_FONT_DIR)`, {
        cause: err,
      });
    });
    fontCache.set(path, bytes);
  }
  return bytes;
}
