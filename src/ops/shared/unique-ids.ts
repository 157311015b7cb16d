/** The ids in first-seen order, each once; a missing list is empty. */
export const uniqueIds = (ids: string[] | undefined) => [...new Set(ids ?? [])];
