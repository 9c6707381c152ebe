// @peculiar/x509 (used by the sandbox's CAs) needs the reflect polyfill before it loads.
import 'reflect-metadata';
