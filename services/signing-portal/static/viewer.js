// Renders a PDF document page by page with the locally served pdf.js (no external resource): each page a canvas for
// the eye and, over it, pdf.js's text layer, so the text is read by screen readers, found by search and selectable.
// Pages are fitted to the viewer's width (no horizontal scrolling on a phone).
import * as pdfjs from '/static/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/static/pdfjs/pdf.worker.min.mjs';
const viewer = document.getElementById('viewer');
if (viewer) {
  const pdf = await pdfjs.getDocument({ url: viewer.dataset.src, isEvalSupported: false }).promise;
  const label = (n) =>
    (viewer.dataset.pageLabel ?? '{page} / {pages}').replace('{page}', n).replace('{pages}', pdf.numPages);
  viewer.replaceChildren();
  for (let n = 1; n <= pdf.numPages; n++) {
    const pageObj = await pdf.getPage(n);
    const natural = pageObj.getViewport({ scale: 1 });
    const scale = Math.min(1.5, viewer.clientWidth / natural.width);
    const viewport = pageObj.getViewport({ scale });
    const page = document.createElement('section');
    page.className = 'pdf-page';
    page.setAttribute('aria-label', label(n));
    page.style.width = `${viewport.width}px`;
    page.style.height = `${viewport.height}px`;
    const ratio = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${viewport.width}px`;
    canvas.style.height = `${viewport.height}px`;
    canvas.setAttribute('aria-hidden', 'true');
    const text = document.createElement('div');
    text.className = 'textLayer';
    text.style.setProperty('--total-scale-factor', String(scale));
    page.append(canvas, text);
    viewer.append(page);
    const transform = ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0];
    await pageObj.render({ canvasContext: canvas.getContext('2d'), viewport, canvas, transform }).promise;
    await new pdfjs.TextLayer({ textContentSource: pageObj.streamTextContent(), container: text, viewport }).render();
  }
  viewer.dataset.rendered = String(pdf.numPages);
}
