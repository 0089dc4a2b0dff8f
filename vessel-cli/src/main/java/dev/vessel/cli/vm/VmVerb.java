package dev.vessel.cli.vm;

import dev.vessel.cli.VesselCommand;
import dev.vessel.cli.VesselException;
import dev.vessel.vm.VesselDisks;
import dev.vessel.vm.VmException;
import dev.vessel.vm.VmManager;
import java.io.IOException;

/** Base of the vm verbs: a manager on the chosen root, and VM failures as one-line errors. */
abstract class VmVerb extends VesselCommand {
    protected VmManager manager() {
        return new VmManager(root(), new VesselDisks());
    }

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (VmException e) {
            throw new VesselException(e.getMessage());
        } catch (IOException e) {
            throw new VesselException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    protected abstract int run() throws IOException;
}
