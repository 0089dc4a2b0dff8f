package dev.vessel.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
    @TempDir
    Path root;

    static ContainerRecord record(String name) {
        ContainerConfig config = new ContainerConfig("h", null, "", false, false, false, List.of(), List.of("true"),
                "busybox", "/", null, Map.of(), null, null);
        return new ContainerRecord(ContainerIds.newId(), name, Instant.now().toString(), "sha256:00", "busybox",
                config, null, ContainerState.created(), 0, false);
    }

    @Test
    void findsContainersByNameIdAndUniquePrefix() throws Exception {
        ContainerStore store = new ContainerStore(root);
        ContainerRecord web = record("web");
        store.create(web);
        assertThat(store.resolve("web").id()).isEqualTo(web.id());
        assertThat(store.resolve("/web").id()).isEqualTo(web.id());
        assertThat(store.resolve(web.id().substring(0, 5)).name()).isEqualTo("web");
        assertThat(store.resolve(web.id()).name()).isEqualTo("web");
        assertThatThrownBy(() -> store.resolve("nope")).hasMessage("No such container: nope");
    }

    @Test
    void namesStayUniqueEvenUnderConcurrentCreates() throws Exception {
        ContainerStore store = new ContainerStore(root);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = List.of(1, 2, 3, 4).stream().map(i -> Thread.ofPlatform().start(() -> {
            try {
                store.create(record("same"));
            } catch (Exception e) {
                failures.add(e);
            }
        })).toList();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(store.list()).hasSize(1);
        assertThat(failures).hasSize(3).allSatisfy(e -> assertThat(e).hasMessageStartingWith(
                "Conflict. The container name \"/same\" is already in use by container"));
    }

    @Test
    void generatedNamesAreDistinctEvenUnderConcurrentCreates() throws Exception {
        ContainerStore store = new ContainerStore(root);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = java.util.stream.IntStream.range(0, 8).mapToObj(i -> Thread.ofPlatform().start(() -> {
            try {
                for (int j = 0; j < 10; j++) {
                    store.createWithGeneratedName(record(null));
                }
            } catch (Exception e) {
                failures.add(e);
            }
        })).toList();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        List<String> names = store.list().stream().map(ContainerRecord::name).toList();
        assertThat(names).hasSize(80).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("[a-z]+_[a-z]+(_[0-9a-f]{6})?"));
    }

    @Test
    void renameAndRemove() throws Exception {
        ContainerStore store = new ContainerStore(root);
        ContainerRecord a = record("a");
        ContainerRecord b = record("b");
        store.create(a);
        store.create(b);
        assertThatThrownBy(() -> store.rename(a.id(), "b")).hasMessageContaining("already in use");
        assertThatThrownBy(() -> store.rename(a.id(), "bad name")).hasMessageContaining("invalid container name");
        store.rename(a.id(), "c");
        assertThat(store.resolve("c").id()).isEqualTo(a.id());
        store.remove(a.id());
        assertThat(store.list()).extracting(ContainerRecord::name).containsExactly("b");
        assertThat(Files.list(root.resolve("containers")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder(b.id(), "lock");
    }
}
