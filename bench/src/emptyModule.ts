// The import-cost baseline: a module that does nothing, loaded from disk like any package.
export const empty = true;
