package dev.vessel.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lseek's SEEK_DATA and SEEK_HOLE on a real sparse file of this machine's file system. */
class FileHolesTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void findsTheDataAndTheHolesOfASparseFile() throws Exception {
        Path file = dir.resolve("sparse");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(16 * MIB);
            f.seek(4 * MIB);
            f.write(new byte[] {1, 2, 3});
            f.seek(8 * MIB);
            f.write(new byte[(int) MIB]);
        }
        try (FileHoles holes = FileHoles.open(file)) {
            assertThat(holes.nextData(0)).isEqualTo(4 * MIB);
            long hole = holes.nextHole(4 * MIB);
            assertThat(hole).isGreaterThan(4 * MIB).isLessThanOrEqualTo(8 * MIB);
            // written zeros are data: the file system stored them
            assertThat(holes.nextData(hole)).isEqualTo(8 * MIB);
            assertThat(holes.nextHole(8 * MIB)).isEqualTo(9 * MIB);
            assertThat(holes.nextData(9 * MIB)).as("only a hole follows").isEqualTo(-1);
            assertThat(holes.nextHole(12 * MIB)).isEqualTo(12 * MIB);
        }
    }

    @Test
    void aFileWithoutHolesIsDataToItsEnd() throws Exception {
        Path file = dir.resolve("dense");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(new byte[100_000]);
        }
        try (FileHoles holes = FileHoles.open(file)) {
            assertThat(holes.nextData(0)).isZero();
            assertThat(holes.nextHole(0)).isEqualTo(100_000);
        }
    }

    @Test
    void aMissingFileIsAnErrnoAndAClosedMapRefuses() throws Exception {
        assertThatThrownBy(() -> FileHoles.open(dir.resolve("missing")))
                .isInstanceOf(ErrnoException.class).hasMessageContaining("open");
        Path file = dir.resolve("f");
        new RandomAccessFile(file.toFile(), "rw").close();
        FileHoles holes = FileHoles.open(file);
        holes.close();
        holes.close();
        assertThatThrownBy(() -> holes.nextData(0)).isInstanceOf(IllegalStateException.class);
    }
}
