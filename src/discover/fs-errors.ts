// File system errors in words, for the one-line statuses every reader reports.
/** A one-line description of a file-system error, without the stack. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT": return "no such file or directory";
    case "EACCES":
    case "EPERM": return "permission denied";
    case "EISDIR": return "is a directory";
    case "ELOOP": return "too many levels of symbolic links";
    default: return error instanceof Error ? error.message.split("\n")[0] ?? String(error) : String(error);
  }
}
