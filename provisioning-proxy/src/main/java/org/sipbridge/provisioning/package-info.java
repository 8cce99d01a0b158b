/** Will own the HTTP/HTTPS reverse proxy to the upstream provisioning server and its certificate handling (undertow, bouncycastle). */
package org.sipbridge.provisioning;
