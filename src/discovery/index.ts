// Door of the discovery concern (SPEC §2, §6): files in, catalog out. Only scanTree touches the filesystem.
export * from './types.js';
export { scanTree } from './scan.js';
export { buildCatalog, discover } from './catalog.js';
export { treeFromObject, type FileTree, type TreeDir, type TreeFile, type JsonResult } from './tree.js';
export { normaliseSegment } from './normalise.js';
export { DEFAULT_IGNORED_DIRS } from './rootconfig.js';
export { ENTRY_FILES, ENTRY_RUNTIME_ORDER, EXT_RUNTIME } from './grammar.js';
