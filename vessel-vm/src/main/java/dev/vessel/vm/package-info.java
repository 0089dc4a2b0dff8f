/** Virtual machines: QEMU processes driven over QMP, accelerators, guest boot assets. */
package dev.vessel.vm;
