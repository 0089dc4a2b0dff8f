/** OCI images: digests, the content-addressed store, manifests and configs, layers, archives. */
package dev.vessel.image;
