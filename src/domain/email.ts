const MAX_EMAIL_LENGTH = 254;
// One @, a non-empty local part, a domain with a dot (not at either end), no white space.
const EMAIL = /^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$/;

export function isValidEmail(text: string): boolean {
  return text.length <= MAX_EMAIL_LENGTH && EMAIL.test(text);
}

/** The form under which emails are unique and matched: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
