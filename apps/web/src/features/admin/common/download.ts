/** Saves `text` as a file named `filename` (an object URL and a temporary link; nothing leaves the browser). */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Pretty JSON with a final newline, as files to apply with the AWS CLI or console. */
export function toJsonFile(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
