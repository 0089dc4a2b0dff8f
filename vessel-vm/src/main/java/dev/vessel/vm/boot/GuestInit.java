package dev.vessel.vm.boot;

import java.util.List;

/** The /init script of Vessel's initramfs (busybox sh), and the marker it prints. */
public final class GuestInit {
    /** Printed on the serial console once the guest's userspace runs. */
    public static final String MARKER = "vessel-guest: ready";

    private GuestInit() {
    }

    static String script(List<String> modules) {
        return """
                #!/bin/busybox sh
                /bin/busybox mkdir -p /proc /sys /dev /bin /sbin /usr/bin /usr/sbin /mnt /newroot /tmp /run
                /bin/busybox --install -s
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                mount -t devtmpfs devtmpfs /dev 2>/dev/null
                for m in %s; do insmod /lib/modules/vessel/$m.ko 2>/dev/null; done
                # ACPI power button (vessel vm stop) -> sync, remount read-only, power off. Only
                # shell built-ins and descriptors opened now, so it still works after switch_root.
                for e in /sys/class/input/event*; do
                  name=; read name < $e/device/name 2>/dev/null
                  if [ "$name" = "Power Button" ]; then
                    [ -c /dev/input/${e##*/} ] || continue
                    exec 3>/proc/sysrq-trigger 4</dev/input/${e##*/}
                    ( read -n 1 x <&4; echo s >&3; read -t 2 -n 1 y <&4; echo u >&3; echo o >&3 ) &
                    exec 3>&- 4<&-
                  fi
                done
                root=
                for arg in $(cat /proc/cmdline); do case "$arg" in root=*) root="${arg#root=}";; esac; done
                if [ -n "$root" ]; then
                  i=0; while [ ! -b "$root" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
                  if mount -t ext4 "$root" /newroot 2>/dev/null || mount "$root" /newroot 2>/dev/null; then
                    if [ -x /newroot/sbin/init ]; then
                      mount --move /dev /newroot/dev 2>/dev/null
                      exec switch_root /newroot /sbin/init
                    fi
                    umount /newroot; mount "$root" /mnt
                  else
                    echo "vessel-guest: cannot mount $root"
                  fi
                fi
                hostname vessel-guest
                echo "%s"
                while true; do setsid cttyhack sh -l; done
                """.formatted(String.join(" ", modules), MARKER);
    }

    /** The /sbin/init of a Vessel-made root disk (see {@link GuestRootfs}). */
    public static String diskInit() {
        return """
                #!/bin/sh
                /bin/busybox --install -s 2>/dev/null
                mount -t proc proc /proc 2>/dev/null
                mount -t sysfs sysfs /sys 2>/dev/null
                mount -t devtmpfs devtmpfs /dev 2>/dev/null
                mount -o remount,rw / 2>/dev/null
                hostname vessel-guest
                echo "%s"
                while true; do setsid cttyhack sh -l; done
                """.formatted(MARKER);
    }
}
