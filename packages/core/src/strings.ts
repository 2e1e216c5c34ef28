/**
 * `text` as one flat run of characters. V8 keeps `a + b` and template literals as a tree of their
 * pieces until something reads the characters; a string the build keeps to the end (a printed
 * expression, an artifact's YAML) built from dozens of pieces then holds several times its length,
 * and every young-generation collection copies each piece. Reading a character makes V8 flatten the
 * tree in place, and the pieces become garbage while they are still young.
 */
export function flatString(text: string): string {
  text.charCodeAt(0);
  return text;
}
