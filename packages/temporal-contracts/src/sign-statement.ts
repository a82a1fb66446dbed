// The statement a signer consents to (issue 20, item 3): the task's `signText`, then each document's `signTextEntry`.
// One definition for what the portal shows, what the evidence records and what a SIGNED_STATEMENT binds. Plain data.

/** What a statement is made of: the task's fields the merchant sent. */
export interface StatementSource {
  signText?: string;
  documents: Array<{ id: string; description?: string; signTextEntry?: string }>;
}

export interface SignStatement {
  /** The task's `signText`, when it has one. */
  signText?: string;
  /** Each document's `signTextEntry`, in the task's order, with the document's name as shown (description, else id). */
  entries: Array<{ documentId: string; document: string; entry: string }>;
  /** The whole statement as one text: `signText`, then a line `<document>: <entry>` per entry. */
  text: string;
}

/** The task's statement, or undefined when it has neither a `signText` nor a `signTextEntry`. */
export function signStatement(task: StatementSource): SignStatement | undefined {
  const entries = task.documents.flatMap((d) =>
    d.signTextEntry ? [{ documentId: d.id, document: d.description ?? d.id, entry: d.signTextEntry }] : [],
  );
  if (!task.signText && entries.length === 0) return undefined;
  const lines = [...(task.signText ? [task.signText] : []), ...entries.map((e) => `${e.document}: ${e.entry}`)];
  return { ...(task.signText ? { signText: task.signText } : {}), entries, text: lines.join('\n') };
}
