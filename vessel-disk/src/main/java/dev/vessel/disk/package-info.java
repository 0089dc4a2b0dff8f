/** Virtual disks: raw, qcow2 and VHD images, backing chains, clones and snapshots. */
package dev.vessel.disk;
