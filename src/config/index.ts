// Door of the config concern: the only reader of process.env and fastfn.json (STYLE rule 5).
export * from './settings.js';
export * from './parse.js';
export { ConfigFileError } from './project-file.js';
