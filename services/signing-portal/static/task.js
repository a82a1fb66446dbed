// Progressive parts of the task page: the handwritten mark (drawn, or the typed name written in a script font, for
// the keyboard) and document uploads (the rest works without script).
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

const canvas = document.getElementById('signature');
if (canvas instanceof HTMLCanvasElement) {
  const ctx = canvas.getContext('2d');
  const field = document.getElementById('handwritten');
  const kind = document.getElementById('handwritten-kind');
  const typed = document.getElementById('typed-name');
  let drawing = false;
  let drawn = false;
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  const pen = () => {
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#14213d';
  };
  /** The typed name as a mark: written across the canvas in a handwriting-like face. */
  const writeName = (name) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#14213d';
    let size = 72;
    ctx.font = `italic ${size}px "URW Chancery L", "Z003", cursive, serif`;
    while (ctx.measureText(name).width > canvas.width - 40 && size > 20) {
      size -= 4;
      ctx.font = `italic ${size}px "URW Chancery L", "Z003", cursive, serif`;
    }
    ctx.textBaseline = 'middle';
    ctx.fillText(name, 20, canvas.height / 2);
  };
  const update = () => {
    const name = typed instanceof HTMLInputElement ? typed.value.trim() : '';
    if (name) {
      writeName(name);
      drawn = false;
      kind.value = 'typed';
      field.value = canvas.toDataURL('image/png');
    } else {
      kind.value = 'drawn';
      field.value = drawn ? canvas.toDataURL('image/png') : '';
    }
  };
  pen();
  canvas.addEventListener('pointerdown', (e) => {
    if (typed instanceof HTMLInputElement && typed.value) {
      typed.value = '';
      ctx.clearRect(0, 0, canvas.width, canvas.height);
    }
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    pen();
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
    update();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  typed?.addEventListener('input', update);
  document.getElementById('clear-signature')?.addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    if (typed instanceof HTMLInputElement) typed.value = '';
    update();
  });
  if (typed instanceof HTMLInputElement && typed.value) update();
}

for (const form of document.querySelectorAll('form.upload')) {
  const status = form.querySelector('.upload-status');
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
    if (res.ok) return location.assign('/std/task?m=uploaded');
    // The error stays by its upload field, announced, and the field keeps the focus for another try.
    const body = await res.json().catch(() => ({ error: res.statusText }));
    status.textContent = body.error ?? res.statusText;
    status.setAttribute('role', 'alert');
    status.classList.add('error');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  });
}
