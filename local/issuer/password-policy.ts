// Cognito's default password policy: at least 8 characters with an upper-case letter, a lower-case letter,
// a digit and one of Cognito's symbols. Pure, so the hosted UI and tests share one definition.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
// The symbols Cognito counts: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and a space.
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

export function passwordPolicyFailures(password: string): string[] {
  const failures: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH)
    failures.push(`Password must have at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (chars.length > PASSWORD_MAX_LENGTH)
    failures.push(`Password must have at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (!chars.some((c) => c >= 'A' && c <= 'Z')) failures.push('Password must contain an upper-case letter.');
  if (!chars.some((c) => c >= 'a' && c <= 'z')) failures.push('Password must contain a lower-case letter.');
  if (!chars.some((c) => c >= '0' && c <= '9')) failures.push('Password must contain a number.');
  if (!chars.some((c) => SYMBOLS.has(c))) failures.push('Password must contain a symbol.');
  // Cognito refuses a leading or trailing space: it is almost always a paste accident.
  if (password !== password.trim()) failures.push('Password must not begin or end with a space.');
  return failures;
}
