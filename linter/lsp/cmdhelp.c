/* SPDX-License-Identifier: MIT */
/** @file What each iPXE command does, in a line, for hover (a data table;
 *  the facts are those of spec/ipxe-commands.json's notes). */
#include "cmdhelp.h"

#include <string.h>

static const struct {
    const char *name;
    const char *what;
} help[] = {
    {"autoboot", "Boots from the network as iPXE does by default: opens each "
                 "interface named (or every one), configures it by DHCP and "
                 "boots its filename or root path, going on to the next "
                 "after a failure."},
    {"boot", "Boots an image: the one with that name if there is one, else "
             "downloads it, gives it the rest of the line as its command "
             "line and runs it.  Comes back if the image returns."},
    {"certfree", "Removes certificates (those matching --subject, or all) "
                 "from the store."},
    {"certstat", "Shows the certificates in the store (those matching "
                 "--subject); fails if none match."},
    {"certstore", "Adds the certificates of an image or URI to the store."},
    {"chain", "Downloads an image (or takes the one with that name), gives "
              "it the rest of the line as its command line and runs it: a "
              "script, a kernel, an EFI program.  Comes back if the image "
              "returns; --replace makes it take the running script's "
              "place."},
    {"choose", "Shows a menu and stores the name of the item chosen in the "
               "setting; fails when the user presses Esc, or on timeout "
               "without --default."},
    {"clear", "Deletes a setting."},
    {"colour", "Defines a colour (by index) for the menus and forms."},
    {"config", "Opens the interactive settings editor for a settings block "
               "(net0, ...)."},
    {"console", "Sets up the console: size, margins, a background picture."},
    {"cpair", "Defines a colour pair (by index) for the menus and forms."},
    {"cpuid", "Succeeds if the CPU has the feature bit named; fails "
              "otherwise (for `cpuid --ext 29 && ...` tests)."},
    {"dhcp", "Configures the interfaces named (or every one) by DHCP, "
             "stopping at the first that succeeds; another name for "
             "ifconf."},
    {"echo", "Prints its arguments joined by spaces, then a newline (none "
             "with -n)."},
    {"exit", "Ends the running script (or shell), with the status given "
             "(0 when none)."},
    {"fcels", "Sends a Fibre Channel extended link service request."},
    {"fcstat", "Shows the Fibre Channel ports and peers."},
    {"fdt", "Registers (or with no argument unregisters) a flattened "
            "device tree image."},
    {"form", "Creates a form (a menu of fields), shown by `present`."},
    {"gdbstub", "Starts the GDB remote debugging stub (debug builds)."},
    {"goto", "Jumps to the line holding `:label` in the running script; "
             "fails, and the line goes on, when there is none."},
    {"help", "Lists the commands built in; takes no options."},
    {"ibstat", "Shows the Infiniband devices."},
    {"ifclose", "Closes the interfaces named (or every one)."},
    {"ifconf", "Configures the interfaces named (or every one), by DHCP "
               "unless --configurator says otherwise, stopping at the first "
               "that succeeds."},
    {"iflinkwait", "Waits for the link of the interfaces named to come up, "
                   "stopping at the first that does."},
    {"ifopen", "Opens the interfaces named (or every one)."},
    {"ifstat", "Shows the state and counters of the interfaces."},
    {"imgargs", "Replaces the command line of an image already loaded."},
    {"imgdecrypt", "Decrypts an image with a CMS envelope."},
    {"imgexec", "Runs an image (loading it first if needed); `chain` and "
                "`boot` are other names for it."},
    {"imgextract", "Extracts an image from an archive (gzip, zlib)."},
    {"imgfetch", "Downloads an image and keeps it, without running it; the "
                 "rest of the line is its command line."},
    {"imgfree", "Forgets the images named (or every one)."},
    {"imgload", "Loads an image and selects it for `boot`, without running "
                "it."},
    {"imgmem", "Makes an image from a range of memory."},
    {"imgselect", "Loads an image and selects it for `boot`."},
    {"imgset", "Stores an image's content in a setting."},
    {"imgstat", "Lists the images loaded."},
    {"imgtrust", "Requires images to be trusted (signed) before they run, or "
                 "with --allow lets untrusted ones run."},
    {"imgverify", "Checks an image's signature against a signature image."},
    {"inc", "Adds a number (1 by default) to a numeric setting."},
    {"initrd", "Downloads an image and keeps it for the kernel to use (an "
               "initrd), without running it."},
    {"ipstat", "Shows the IPv4 addresses and routes."},
    {"iseq", "Succeeds if its two arguments are the same text; fails "
             "otherwise (for `iseq ${a} b && ...` tests)."},
    {"isset", "Succeeds if its argument is not empty: it tests a value, so "
              "write `isset ${name}`, not `isset name`."},
    {"item", "Adds an item to the menu (or form) last made or named by "
             "--menu: its name is what `choose` stores, usually a label for "
             "`goto ${choice}`."},
    {"iwlist", "Lists the wireless networks in range."},
    {"iwstat", "Shows the wireless interfaces."},
    {"kernel", "Loads an image and selects it for `boot` (another name for "
               "imgselect); the rest of the line is its command line."},
    {"login", "Asks for a user name and password and stores them in the "
              "settings username and password."},
    {"lotest", "Tests a network loopback between two interfaces."},
    {"md4sum", "Prints (or stores with --set) the MD4 digest of images."},
    {"md5sum", "Prints (or stores with --set) the MD5 digest of images."},
    {"menu", "Creates a menu (replacing one of the same name) whose title "
             "is the rest of the line; `item` adds to it, `choose` shows "
             "it."},
    {"module", "Downloads an image and keeps it as a module for the kernel "
               "(another name for imgfetch)."},
    {"nslookup", "Resolves a host name and stores its address in a "
                 "setting."},
    {"nstat", "Shows the network neighbours (ARP and NDP caches)."},
    {"ntp", "Sets the clock from an NTP server."},
    {"param", "Adds a field (or an HTTP header) to a parameter list for "
              "POST requests."},
    {"params", "Creates a parameter list for URIs that name one "
               "(`##params`)."},
    {"pciscan", "Steps a setting through the PCI devices, one per call; "
                "fails after the last."},
    {"ping", "Sends ICMP echo requests to a host."},
    {"poweroff", "Turns the machine off."},
    {"present", "Shows a form and stores what was typed into its settings."},
    {"profstat", "Shows profiling counters (debug builds)."},
    {"prompt", "Prints a message and waits for a key: succeeds on a key (or "
               "the --key one), fails on timeout."},
    {"pxebs", "Asks a PXE boot server for a boot file."},
    {"read", "Reads a line typed by the user into a setting."},
    {"reboot", "Restarts the machine (--setup: into the firmware's setup)."},
    {"route", "Shows the routing table."},
    {"sanboot", "Boots from a SAN disk (iSCSI, AoE, HTTP) or, with no URI, "
                "from a local drive (--drive); unhooks it after unless "
                "--keep."},
    {"sanhook", "Attaches a SAN disk without booting from it."},
    {"sanunhook", "Detaches a SAN disk."},
    {"set", "Stores the rest of the line (words joined by single spaces) in "
            "a setting; nothing after the name deletes it."},
    {"sha1sum", "Prints (or stores with --set) the SHA-1 digest of images."},
    {"sha224sum", "Prints (or stores with --set) the SHA-224 digest of "
                  "images."},
    {"sha256sum", "Prints (or stores with --set) the SHA-256 digest of "
                  "images."},
    {"sha384sum", "Prints (or stores with --set) the SHA-384 digest of "
                  "images."},
    {"sha512sum", "Prints (or stores with --set) the SHA-512 digest of "
                  "images."},
    {"shell", "Opens the interactive iPXE shell; comes back when `exit` is "
              "typed there."},
    {"shim", "Selects a UEFI shim to start the next EFI image through (for "
             "Secure Boot); does nothing outside EFI."},
    {"show", "Prints a setting as `block/name:type = value`; fails if it is "
             "not set."},
    {"sleep", "Waits the number of seconds given (Ctrl-C cancels, and then "
              "it fails)."},
    {"startpxe", "Gives an interface back to the PXE stack (BIOS only)."},
    {"stoppxe", "Takes the interfaces back from the PXE stack (BIOS only)."},
    {"sync", "Waits for background operations to finish."},
    {"time", "Runs the rest of the line as a command and prints how long it "
             "took."},
    {"usbscan", "Steps a setting through the USB devices, one per call; "
                "fails after the last."},
    {"vcreate", "Creates a VLAN interface (trunk-tag, e.g. net0-42)."},
    {"vdestroy", "Removes a VLAN interface."},
};

const char *lsp_cmd_help(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(help) / sizeof(help[0]); i++)
        if (strcmp(help[i].name, name) == 0)
            return help[i].what;
    return NULL;
}
