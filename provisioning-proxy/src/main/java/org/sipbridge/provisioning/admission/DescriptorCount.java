package org.sipbridge.provisioning.admission;

/** Open descriptors and their limit; the limit is 0 or less where the platform does not say. */
interface DescriptorCount {
    long open();

    long max();
}
