/** application/x-www-form-urlencoded encoding of one value (WHATWG URL standard; space → `+`). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
