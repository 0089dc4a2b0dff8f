/** The OCI runtime: a runtime bundle becomes an isolated, limited process. */
package dev.vessel.runtime;
