import Module from 'node:module';

/**
 * Makes every later `require(modulePath)` return `exports`, leaving the file on
 * disk as it is (npm ci, Docker images and CI all get the change). Modules that
 * required the path before keep what they got, so call this before they load.
 */
export function replaceCachedModule(modulePath: string, exports: unknown): void {
  const cached = new Module(modulePath);
  cached.filename = modulePath;
  cached.loaded = true;
  cached.exports = exports;
  require.cache[modulePath] = cached;
}
