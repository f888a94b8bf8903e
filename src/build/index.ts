// Door of the build concern (SPEC §13): handler builds that run in the gateway process, off the request path.
// Workers never import this folder.
export { bundleTypeScript, tsBuildCount, tsBuildDir, type TsBundle } from './ts-bundle.js';
