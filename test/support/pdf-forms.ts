// What a PDF's form holds, read by a parser nobody here wrote (pyHanko's PDF reader, test/support/pdf-form-values.py).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tool } from '@esign/devstack';

/** The AcroForm values of `pdf` by full field name (check boxes and radio groups: their state, e.g. "Yes", "Off"). */
export async function formValuesByPyhanko(pdf: Buffer): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-form-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const script = fileURLToPath(new URL('./pdf-form-values.py', import.meta.url));
    const { stdout } = await promisify(execFile)(tool('python'), [script, file]);
    return JSON.parse(stdout) as Record<string, string>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
