const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** The contract's boolean forms, any case; `undefined` for anything else. */
export function parseFlag(value: string | boolean): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}
