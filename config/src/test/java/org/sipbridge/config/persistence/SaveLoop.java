package org.sipbridge.config.persistence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Station;

/** Child process of {@link CrashSafetyTest}: saves two configs alternately until it is killed. */
public final class SaveLoop {

    static BridgeConfig version(int which) {
        List<Station> stations = new ArrayList<>();
        int count = which == 0 ? 90 : 3;
        for (int i = 0; i < count; i++) {
            stations.add(new Station("Station " + which + "-" + i, "user" + i, "password-" + which + "-" + i));
        }
        return BridgeConfig.defaults().withStations(stations);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        BridgeConfig[] versions = {version(0), version(1)};
        ConfigFile.save(file, versions[0]);
        System.out.println("saving");
        System.out.flush();
        for (long i = 1; ; i++) {
            ConfigFile.save(file, versions[(int) (i % 2)]);
        }
    }
}
