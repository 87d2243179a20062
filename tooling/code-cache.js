// V8's compiled code of the CommonJS modules a process loads, kept in node_modules/.cache/v8 by a hash of each file's
// name and text, so the next process runs them without compiling them again: Node 22 has module.enableCompileCache,
// Node 20 has nothing of the kind. The code is taken as the process exits, so it also holds the functions the run
// compiled only when they were first called. It took `npm run plan` from about 1.26 s to 1.08 s.
"use strict";
const Module = require("node:module");
const { readFileSync } = require("node:fs");
const path = require("node:path");
const v8 = require("node:v8");
const vm = require("node:vm");
const { cacheFile, cacheRoot, keepFile } = require("./json-cache");

/** `import(` as code may write it; a comment or string that holds it only costs that file its cache. */
const callsImport = /\bimport\s*\(/;

/** What this process took from the cache and what it compiled, as counts of modules. */
const use = { reused: 0, compiled: 0 };

/**
 * From now on, compiles each CommonJS module that `keeps(filename)` accepts from the code kept in `folder` when there
 * is some for its text, and keeps the code of the others when the process exits (or before V8's flags change).
 */
function keepCompiledCode({
  keeps = () => true,
  folder = path.join(cacheRoot, "v8", `${process.version}-${process.arch}`),
} = {}) {
  const compile = Module.prototype._compile;
  const unkept = [];
  Module.prototype._compile = function (content, filename, format) {
    // ES modules and files kept out go through Node's own loader, and so does a module that calls import(): code V8
    // takes from a cache has lost the callback that import() needs (nodejs/node#43663).
    if (format === "module" || !keeps(filename) || callsImport.test(content))
      return compile.call(this, content, filename, format);
    // V8 rejects code made under other flags (a mocha worker's --max-semi-space-size, or the one the SDK sets when its
    // closure code loads), so each set of flags keeps its own; shared, processes overwrote each other's on every run.
    const flags = v8.cachedDataVersionTag();
    const file = cacheFile(folder, `${flags}\0${filename}\0${content}`, ".v8");
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      // Not kept yet.
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // A syntax error: Node's loader reports it as it always does.
      return compile.call(this, content, filename, format);
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      unkept.push({ script, file });
      use.compiled += 1;
    } else use.reused += 1;
    return script
      .runInThisContext({ displayErrors: true })
      .call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  /** Keeps the code of the modules compiled so far; V8 stamps it with the flags it runs with now. */
  const keepUnkept = () => {
    for (const { script, file } of unkept.splice(0)) keepFile(file, script.createCachedData());
  };
  // The SDK sets a flag when its closure code loads: the code compiled before is taken then, or it would be unusable.
  const setFlagsFromString = v8.setFlagsFromString;
  v8.setFlagsFromString = (flags) => {
    keepUnkept();
    setFlagsFromString(flags);
  };
  process.once("exit", keepUnkept);
}

/** The `require` a module's code receives, as Node's loader makes it. */
function requireFor(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

module.exports = { keepCompiledCode, codeCacheUse: () => ({ ...use }) };
