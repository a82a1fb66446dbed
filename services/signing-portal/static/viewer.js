// Renders a PDF document page by page into canvases with the locally served pdf.js (no external resource).
import * as pdfjs from '/static/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/static/pdfjs/pdf.worker.min.mjs';
const viewer = document.getElementById('viewer');
if (viewer) {
  const pdf = await pdfjs.getDocument({ url: viewer.dataset.src, isEvalSupported: false }).promise;
  viewer.replaceChildren();
  for (let n = 1; n <= pdf.numPages; n++) {
    const pageObj = await pdf.getPage(n);
    const viewport = pageObj.getViewport({ scale: 1.5 });
    const canvas = document.createElement('canvas');
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${n} / ${pdf.numPages}`);
    viewer.append(canvas);
    await pageObj.render({ canvasContext: canvas.getContext('2d'), viewport, canvas }).promise;
  }
  viewer.dataset.rendered = String(pdf.numPages);
}
