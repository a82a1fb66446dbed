import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isPng, MAX_HANDWRITTEN_BASE64, pngOf, signFormOf } from './signature-image.js';

/** A real 1×1 PNG, built chunk by chunk with correct CRCs. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0, 0, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dataUrl = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;

describe('the handwritten mark', () => {
  it('takes a well-formed PNG data URL and answers its base64', () => {
    const png = tinyPng();
    expect(isPng(png)).toBe(true);
    expect(pngOf(dataUrl(png))).toBe(png.toString('base64'));
  });

  it('refuses what a seal could not take: another type, a broken chunk, trailing bytes, too large', () => {
    const png = tinyPng();
    expect(pngOf(`data:image/jpeg;base64,${png.toString('base64')}`)).toBeUndefined();
    const broken = Buffer.from(png);
    broken[20] = broken[20]! ^ 0xff;
    expect(pngOf(dataUrl(broken))).toBeUndefined();
    expect(pngOf(dataUrl(Buffer.concat([png, Buffer.from('x')])))).toBeUndefined();
    expect(pngOf(`data:image/png;base64,${'A'.repeat(MAX_HANDWRITTEN_BASE64 + 4)}`)).toBeUndefined();
  });

  it('reads the Sign form: consent, the mark, typed or drawn, and a bad mark told apart from none', () => {
    const png = tinyPng();
    expect(
      signFormOf({ consent: 'yes', handwritten: dataUrl(png), handwrittenKind: 'typed', typedName: ' Kari ' }),
    ).toEqual({
      consent: true,
      png: png.toString('base64'),
      typed: true,
      typedName: 'Kari',
      badImage: false,
    });
    expect(signFormOf({ handwritten: dataUrl(png), handwrittenKind: 'drawn' })).toMatchObject({
      consent: false,
      typed: false,
    });
    expect(signFormOf({ consent: 'yes', handwritten: 'data:image/png;base64,AAAA' })).toMatchObject({ badImage: true });
    expect(signFormOf({ consent: 'yes' })).toMatchObject({ badImage: false, typed: false });
  });
});
