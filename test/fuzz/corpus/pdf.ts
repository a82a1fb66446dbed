// Malformed and malicious PDFs, and bodies that only claim to be PDFs.
import { gzipSync } from 'node:zlib';
import { brokenXrefPdf, javascriptPdf, plainPdf, truncatedPdf, xrefPastEndPdf } from '../pdfs.js';
import { upload } from './requests.js';
import type { CorpusCase } from './types.js';

export const pdfCases: CorpusCase[] = [
  {
    name: 'a PDF whose startxref points where no cross-reference section starts',
    group: 'pdf',
    request: upload(brokenXrefPdf(), 'application/pdf'),
    status: 400,
    violationAt: 'body',
    says: /not a valid PDF/,
  },
  {
    name: 'a PDF whose startxref points past the end of the file',
    group: 'pdf',
    request: upload(xrefPastEndPdf(), 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a truncated PDF (the first half: no xref, no trailer)',
    group: 'pdf',
    request: upload(truncatedPdf(), 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a PDF header and nothing else',
    group: 'pdf',
    request: upload('%PDF-1.7\n', 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'an HTML page with a script, declared as a PDF',
    group: 'pdf',
    request: upload('<html><script>alert(1)</script></html>', 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a PDF/HTML polyglot (PDF header, then a page, no PDF structure)',
    group: 'pdf',
    request: upload('%PDF-1.7\n<html><body onload="alert(1)"></body></html>\n%%EOF\n', 'application/pdf'),
    status: 400,
    violationAt: 'body',
  },
  {
    name: 'a PDF sent as text/plain (binary is not UTF-8 text)',
    group: 'pdf',
    request: upload(plainPdf(), 'text/plain'),
    status: 400,
    violationAt: 'body',
    says: /UTF-8/,
  },
  {
    name: 'a gzip-compressed PDF upload (Content-Encoding: gzip)',
    group: 'pdf',
    request: upload(gzipSync(javascriptPdf()), 'application/pdf', { 'content-encoding': 'gzip' }),
    status: 415,
    says: /Content-Encoding/,
  },
];
