/**
 * `@peculiar/x509` 2.x resolves its algorithm providers with tsyringe, which needs the Reflect
 * metadata API: load the polyfill before the first import of `@peculiar/x509`.
 */
import "reflect-metadata";
