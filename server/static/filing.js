// The filing page's glue: what the self-check widget scores goes into the form's observation field, and an
// observation file chosen goes there too. Without this script the field is typed or pasted by hand.
const field = document.getElementById('observation');
const widget = document.getElementById('self-check');
if (field && widget) {
  widget.addEventListener('pucha-score', (e) => {
    if (e.detail && e.detail.observation) field.value = JSON.stringify(e.detail.observation, null, 1);
  });
}
const file = document.getElementById('observation-file');
if (field && file) {
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (f) field.value = await f.text();
  });
}
