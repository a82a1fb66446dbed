// Progressive parts of the task page: the drawn signature and document uploads (the rest works without script).
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

const canvas = document.getElementById('signature');
if (canvas instanceof HTMLCanvasElement) {
  const ctx = canvas.getContext('2d');
  const field = document.getElementById('handwritten');
  let drawing = false;
  let drawn = false;
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  ctx.lineWidth = 3;
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#14213d';
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.beginPath();
    ctx.moveTo(...point(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    ctx.lineTo(...point(e));
    ctx.stroke();
    drawn = true;
  });
  const end = () => {
    drawing = false;
    if (drawn && field instanceof HTMLInputElement) field.value = canvas.toDataURL('image/png');
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  document.getElementById('clear-signature')?.addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    if (field instanceof HTMLInputElement) field.value = '';
  });
}

for (const form of document.querySelectorAll('form.upload')) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = form.querySelector('input[type="file"]');
    const file = input?.files?.[0];
    if (!file) return;
    const res = await fetch(`/std/upload/${encodeURIComponent(form.dataset.document)}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': csrf },
      body: file,
    });
    if (res.ok) location.assign('/std/task?m=uploaded');
    else {
      const body = await res.json().catch(() => ({ error: res.statusText }));
      location.assign(`/std/task?e=${encodeURIComponent(body.error ?? res.statusText)}`);
    }
  });
}
