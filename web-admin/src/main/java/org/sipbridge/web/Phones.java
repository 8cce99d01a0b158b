package org.sipbridge.web;

import java.util.List;
import java.util.Optional;

/** The phones the bridge has seen, as the daemon provides them ({@code GET /api/phones}). */
public interface Phones {

    PhoneList list();

    Phones NONE = () -> new PhoneList(0, 0, 0, Optional.empty(), List.of());
}
