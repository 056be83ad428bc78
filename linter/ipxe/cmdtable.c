/* SPDX-License-Identifier: MIT */
/** @file iPXE's commands as data: options, argument counts, availability.
 *
 * Every entry restates one command of spec/ipxe-commands.json (iPXE commit
 * 0ab2277c40f1); tests/unit/test_cmdtable.c compares the two field by field
 * in both directions.  The table is sorted by name (strcmp order) for
 * binary search.  Aliases (`chain`, `kernel`, `initrd`, ...) have entries
 * of their own that share the options of the command they alias.
 */
#include "cmdtable.h"

#include <string.h>

/** Entries in a static array. */
#define COUNT(array) ((uint8_t)(sizeof(array) / sizeof((array)[0])))

/* The tables are laid out by hand, an entry a line or a few. */
/* clang-format off */
/* ---- options, one array per distinct option list ---- */

/* boot, chain, imgexec */
static const struct cmd_option opts_image_exec[] = {
    {"name", 'n', CMD_VAL_STRING, "string"},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
    {"autofree", 'a', CMD_VAL_NONE, NULL},
    {"replace", 'r', CMD_VAL_NONE, NULL},
};

/* certfree, certstat */
static const struct cmd_option opts_cert[] = {
    {"subject", 's', CMD_VAL_STRING, "string"},
};

/* certstore */
static const struct cmd_option opts_certstore[] = {
    {"subject", 's', CMD_VAL_STRING, "string"},
    {"keep", 'k', CMD_VAL_NONE, NULL},
};

/* choose */
static const struct cmd_option opts_choose[] = {
    {"menu", 'm', CMD_VAL_OTHER, "dynui name"},
    {"default", 'd', CMD_VAL_OTHER, "item name"},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"retimeout", 'r', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"keep", 'k', CMD_VAL_NONE, NULL},
};

/* colour */
static const struct cmd_option opts_colour[] = {
    {"basic", 'b', CMD_VAL_INTEGER, "integer"},
    {"rgb", 'r', CMD_VAL_INTEGER, "integer"},
};

/* console */
static const struct cmd_option opts_console[] = {
    {"x", 'x', CMD_VAL_INTEGER, "integer"},
    {"y", 'y', CMD_VAL_INTEGER, "integer"},
    {"left", 'l', CMD_VAL_INTEGER, "integer"},
    {"right", 'r', CMD_VAL_INTEGER, "integer"},
    {"top", 't', CMD_VAL_INTEGER, "integer"},
    {"bottom", 'b', CMD_VAL_INTEGER, "integer"},
    {"depth", 'd', CMD_VAL_INTEGER, "integer"},
    {"picture", 'p', CMD_VAL_OTHER, "uri|image"},
    {"keep", 'k', CMD_VAL_NONE, NULL},
};

/* cpair */
static const struct cmd_option opts_cpair[] = {
    {"foreground", 'f', CMD_VAL_INTEGER, "integer"},
    {"background", 'b', CMD_VAL_INTEGER, "integer"},
};

/* cpuid */
static const struct cmd_option opts_cpuid[] = {
    {"ext", 'e', CMD_VAL_NONE, NULL},
    {"amd", 'a', CMD_VAL_NONE, NULL},
    {"ecx", 'c', CMD_VAL_NONE, NULL},
};

/* dhcp, ifconf */
static const struct cmd_option opts_ifconf[] = {
    {"configurator", 'c', CMD_VAL_OTHER, "configurator(dhcp|ipv6)"},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
};

/* echo */
static const struct cmd_option opts_echo[] = {
    {"n", 'n', CMD_VAL_NONE, NULL},
};

/* fcels */
static const struct cmd_option opts_fcels[] = {
    {"port", 'p', CMD_VAL_OTHER, "fc port name"},
    {"id", 'i', CMD_VAL_OTHER, "fc port id"},
};

/* fdt */
static const struct cmd_option opts_fdt[] = {
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
};

/* form, menu */
static const struct cmd_option opts_dynui[] = {
    {"name", 'n', CMD_VAL_STRING, "string"},
    {"delete", 'd', CMD_VAL_NONE, NULL},
};

/* iflinkwait, read, sync */
static const struct cmd_option opts_timeout[] = {
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
};

/* imgargs, imgfetch, imgload, imgselect, initrd, kernel, module */
static const struct cmd_option opts_image[] = {
    {"name", 'n', CMD_VAL_STRING, "string"},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
    {"autofree", 'a', CMD_VAL_NONE, NULL},
};

/* imgdecrypt, imgextract */
static const struct cmd_option opts_imgdecrypt[] = {
    {"name", 'n', CMD_VAL_STRING, "string"},
    {"keep", 'k', CMD_VAL_NONE, NULL},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
};

/* imgmem */
static const struct cmd_option opts_imgmem[] = {
    {"name", 'n', CMD_VAL_STRING, "string"},
};

/* imgset */
static const struct cmd_option opts_imgset[] = {
    {"keep", 'k', CMD_VAL_NONE, NULL},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
};

/* imgtrust */
static const struct cmd_option opts_imgtrust[] = {
    {"allow", 'a', CMD_VAL_NONE, NULL},
    {"permanent", 'p', CMD_VAL_NONE, NULL},
};

/* imgverify */
static const struct cmd_option opts_imgverify[] = {
    {"signer", 's', CMD_VAL_STRING, "string"},
    {"keep", 'k', CMD_VAL_NONE, NULL},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
};

/* item */
static const struct cmd_option opts_item[] = {
    {"menu", 'm', CMD_VAL_OTHER, "dynui name"},
    {"form", 'f', CMD_VAL_OTHER, "dynui name"},
    {"key", 'k', CMD_VAL_KEY, "key"},
    {"default", 'd', CMD_VAL_NONE, NULL},
    {"secret", 's', CMD_VAL_NONE, NULL},
    {"gap", 'g', CMD_VAL_NONE, NULL},
};

/* lotest */
static const struct cmd_option opts_lotest[] = {
    {"mtu", 'm', CMD_VAL_INTEGER, "integer"},
    {"broadcast", 'b', CMD_VAL_NONE, NULL},
};

/* md4sum, md5sum, sha1sum, sha224sum, sha256sum, sha384sum, sha512sum */
static const struct cmd_option opts_digest[] = {
    {"set", 's', CMD_VAL_SETTING, "setting(autovivified)"},
};

/* param */
static const struct cmd_option opts_param[] = {
    {"params", 'p', CMD_VAL_OTHER, "list name"},
    {"header", 'H', CMD_VAL_NONE, NULL},
};

/* params */
static const struct cmd_option opts_params[] = {
    {"name", 'n', CMD_VAL_STRING, "string"},
    {"method", 'm', CMD_VAL_STRING, "string"},
    {"delete", 'd', CMD_VAL_NONE, NULL},
};

/* ping */
static const struct cmd_option opts_ping[] = {
    {"size", 's', CMD_VAL_INTEGER, "integer"},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"count", 'c', CMD_VAL_INTEGER, "integer"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
};

/* present */
static const struct cmd_option opts_present[] = {
    {"form", 'f', CMD_VAL_OTHER, "dynui name"},
    {"keep", 'k', CMD_VAL_NONE, NULL},
};

/* prompt */
static const struct cmd_option opts_prompt[] = {
    {"key", 'k', CMD_VAL_KEY, "key"},
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
};

/* reboot */
static const struct cmd_option opts_reboot[] = {
    {"warm", 'w', CMD_VAL_NONE, NULL},
    {"setup", 's', CMD_VAL_NONE, NULL},
};

/* sanboot */
static const struct cmd_option opts_sanboot[] = {
    {"drive", 'd', CMD_VAL_INTEGER, "integer"},
    {"no-describe", 'n', CMD_VAL_NONE, NULL},
    {"keep", 'k', CMD_VAL_NONE, NULL},
    {"filename", 'f', CMD_VAL_STRING, "string"},
    {"extra", 'e', CMD_VAL_STRING, "string"},
    {"label", 'l', CMD_VAL_STRING, "string"},
    {"uuid", 'u', CMD_VAL_UUID, "uuid"},
};

/* sanhook */
static const struct cmd_option opts_sanhook[] = {
    {"drive", 'd', CMD_VAL_INTEGER, "integer"},
    {"no-describe", 'n', CMD_VAL_NONE, NULL},
};

/* sanunhook */
static const struct cmd_option opts_sanunhook[] = {
    {"drive", 'd', CMD_VAL_INTEGER, "integer"},
};

/* shim */
static const struct cmd_option opts_shim[] = {
    {"timeout", 't', CMD_VAL_TIMEOUT, "timeout_ms"},
    {"quiet", 'q', CMD_VAL_NONE, NULL},
    {"require-loader", 'l', CMD_VAL_NONE, NULL},
    {"allow-pxe", 'p', CMD_VAL_NONE, NULL},
    {"allow-sbat", 's', CMD_VAL_NONE, NULL},
};

/* show */
static const struct cmd_option opts_show[] = {
    {"quiet", 'q', CMD_VAL_NONE, NULL},
};

/* vcreate */
static const struct cmd_option opts_vcreate[] = {
    {"tag", 't', CMD_VAL_INTEGER, "integer"},
    {"priority", 'p', CMD_VAL_INTEGER, "integer"},
};

static const struct cmd_def commands[] = {
    {.name = "autoboot", .id = CMD_ID_AUTOBOOT,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]", .config_flag = "AUTOBOOT_CMD"},
    {.name = "boot", .alias_of = "imgexec", .id = CMD_ID_IMGEXEC,
     .opts = opts_image_exec,
     .nopts = COUNT(opts_image_exec), .min_args = 0,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "[<uri|image> [<arguments>...]]",
     .config_flag = "IMAGE_CMD"},
    {.name = "certfree", .id = CMD_ID_CERTFREE,
     .opts = opts_cert, .nopts = COUNT(opts_cert),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = false, .usage = NULL, .config_flag = "CERT_CMD"},
    {.name = "certstat", .id = CMD_ID_CERTSTAT,
     .opts = opts_cert, .nopts = COUNT(opts_cert),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = false, .usage = NULL, .config_flag = "CERT_CMD"},
    {.name = "certstore", .id = CMD_ID_CERTSTORE, .opts = opts_certstore,
     .nopts = COUNT(opts_certstore), .min_args = 0, .max_args = 1,
     .parses_options = true, .efi = true, .pcbios = false,
     .usage = "[<uri|image>]", .config_flag = "CERT_CMD"},
    {.name = "chain", .alias_of = "imgexec", .id = CMD_ID_IMGEXEC,
     .opts = opts_image_exec,
     .nopts = COUNT(opts_image_exec), .min_args = 0,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "[<uri|image> [<arguments>...]]",
     .config_flag = "IMAGE_CMD"},
    {.name = "choose", .id = CMD_ID_CHOOSE,
     .opts = opts_choose, .nopts = COUNT(opts_choose),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<setting>",
     .config_flag = "MENU_CMD or FORM_CMD (either links dynui_cmd.c)"},
    {.name = "clear", .id = CMD_ID_CLEAR,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<setting>",
     .config_flag = "NVO_CMD"},
    {.name = "colour", .id = CMD_ID_COLOUR,
     .opts = opts_colour, .nopts = COUNT(opts_colour),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = false, .usage = "<colour>", .config_flag = "CONSOLE_CMD"},
    {.name = "config", .id = CMD_ID_CONFIG,
     .min_args = 0, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<scope>]",
     .config_flag = "CONFIG_CMD"},
    {.name = "console", .id = CMD_ID_CONSOLE,
     .opts = opts_console, .nopts = COUNT(opts_console),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = false, .usage = NULL, .config_flag = "CONSOLE_CMD"},
    {.name = "cpair", .id = CMD_ID_CPAIR,
     .opts = opts_cpair, .nopts = COUNT(opts_cpair),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = false, .usage = "<cpair>", .config_flag = "CONSOLE_CMD"},
    {.name = "cpuid", .id = CMD_ID_CPUID,
     .opts = opts_cpuid, .nopts = COUNT(opts_cpuid),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<bit>", .config_flag = "CPUID_CMD (x86 only)"},
    {.name = "dhcp", .alias_of = "ifconf", .id = CMD_ID_IFCONF,
     .opts = opts_ifconf,
     .nopts = COUNT(opts_ifconf), .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]", .config_flag = "DHCP_CMD"},
    {.name = "echo", .id = CMD_ID_ECHO,
     .opts = opts_echo, .nopts = COUNT(opts_echo),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[...]",
     .config_flag = "none (core, always linked)"},
    {.name = "exit", .id = CMD_ID_EXIT,
     .min_args = 0, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<status>]",
     .config_flag = "none (core, always linked)"},
    {.name = "fcels", .id = CMD_ID_FCELS,
     .opts = opts_fcels, .nopts = COUNT(opts_fcels),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = false,
     .pcbios = false, .usage = "<request>",
     .config_flag = "FCMGMT_CMD (via src/config/config_fc.c)"},
    {.name = "fcstat", .id = CMD_ID_FCSTAT,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = false, .pcbios = false, .usage = NULL,
     .config_flag = "FCMGMT_CMD (via src/config/config_fc.c)"},
    {.name = "fdt", .id = CMD_ID_FDT,
     .opts = opts_fdt, .nopts = COUNT(opts_fdt), .min_args = 0,
     .max_args = 1, .parses_options = true, .efi = false, .pcbios = false,
     .usage = "[<uri>]",
     .config_flag = "FDT_CMD (defined unless FDT_NULL; FDT_NULL is set for "
                    "pcbios and x86 EFI)"},
    {.name = "form", .alias_of = "menu", .id = CMD_ID_MENU, .opts = opts_dynui,
     .nopts = COUNT(opts_dynui), .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true, .usage = "[<title>]",
     .config_flag = "MENU_CMD or FORM_CMD (either links dynui_cmd.c)"},
    {.name = "gdbstub", .id = CMD_ID_GDBSTUB,
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = false, .pcbios = false,
     .usage = "<transport> [<options>...]",
     .config_flag = "GDBSERIAL or GDBUDP (both off)"},
    {.name = "goto", .id = CMD_ID_GOTO,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<label>",
     .config_flag = "IMAGE_SCRIPT (script image type)"},
    {.name = "help", .id = CMD_ID_HELP,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = false, .efi = true, .pcbios = true, .usage = NULL,
     .config_flag = "SHELL_CMD (shell.c is also always linked because "
                    "autoboot.c calls shell())"},
    {.name = "ibstat", .id = CMD_ID_IBSTAT,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "",
     .config_flag = "IBMGMT_CMD (via src/config/config_infiniband.c)"},
    {.name = "ifclose", .id = CMD_ID_IFCLOSE,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]", .config_flag = "IFMGMT_CMD"},
    {.name = "ifconf", .id = CMD_ID_IFCONF,
     .opts = opts_ifconf, .nopts = COUNT(opts_ifconf),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<interface>...]",
     .config_flag = "IFMGMT_CMD"},
    {.name = "iflinkwait", .id = CMD_ID_IFLINKWAIT, .opts = opts_timeout,
     .nopts = COUNT(opts_timeout), .min_args = 0,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "[<interface>...]", .config_flag = "IFMGMT_CMD"},
    {.name = "ifopen", .id = CMD_ID_IFOPEN,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]", .config_flag = "IFMGMT_CMD"},
    {.name = "ifstat", .id = CMD_ID_IFSTAT,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]", .config_flag = "IFMGMT_CMD"},
    {.name = "imgargs", .id = CMD_ID_IMGARGS,
     .opts = opts_image, .nopts = COUNT(opts_image),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<uri|image> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "imgdecrypt", .id = CMD_ID_IMGDECRYPT, .opts = opts_imgdecrypt,
     .nopts = COUNT(opts_imgdecrypt), .min_args = 2, .max_args = 2,
     .parses_options = true, .efi = false, .pcbios = false,
     .usage = "<uri|image> <envelope uri|image>",
     .config_flag = "IMAGE_CRYPT_CMD (off)"},
    {.name = "imgexec", .id = CMD_ID_IMGEXEC, .opts = opts_image_exec,
     .nopts = COUNT(opts_image_exec),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<uri|image> [<arguments>...]]",
     .config_flag = "IMAGE_CMD"},
    {.name = "imgextract", .id = CMD_ID_IMGEXTRACT, .opts = opts_imgdecrypt,
     .nopts = COUNT(opts_imgdecrypt), .min_args = 1, .max_args = 1,
     .parses_options = true, .efi = false, .pcbios = false, .usage = NULL,
     .config_flag = "IMAGE_ARCHIVE_CMD (via src/config/config_archive.c)"},
    {.name = "imgfetch", .id = CMD_ID_IMGFETCH,
     .opts = opts_image, .nopts = COUNT(opts_image),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<uri> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "imgfree", .id = CMD_ID_IMGFREE,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<image>...]", .config_flag = "IMAGE_CMD"},
    {.name = "imgload", .alias_of = "imgselect", .id = CMD_ID_IMGSELECT,
     .opts = opts_image,
     .nopts = COUNT(opts_image), .min_args = 1,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<uri|image> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "imgmem", .id = CMD_ID_IMGMEM,
     .opts = opts_imgmem, .nopts = COUNT(opts_imgmem),
     .min_args = 2, .max_args = 2, .parses_options = true, .efi = false,
     .pcbios = false, .usage = "<address> <length>",
     .config_flag = "IMAGE_MEM_CMD (off)"},
    {.name = "imgselect", .id = CMD_ID_IMGSELECT,
     .opts = opts_image, .nopts = COUNT(opts_image),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<uri|image> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "imgset", .id = CMD_ID_IMGSET,
     .opts = opts_imgset, .nopts = COUNT(opts_imgset),
     .min_args = 2, .max_args = 2, .parses_options = true, .efi = true,
     .pcbios = true, .usage = NULL, .config_flag = "IMAGE_SET_CMD"},
    {.name = "imgstat", .id = CMD_ID_IMGSTAT,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<image>...]", .config_flag = "IMAGE_CMD"},
    {.name = "imgtrust", .id = CMD_ID_IMGTRUST,
     .opts = opts_imgtrust, .nopts = COUNT(opts_imgtrust),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = false,
     .pcbios = false, .usage = NULL, .config_flag = "IMAGE_TRUST_CMD (off)"},
    {.name = "imgverify", .id = CMD_ID_IMGVERIFY, .opts = opts_imgverify,
     .nopts = COUNT(opts_imgverify), .min_args = 2, .max_args = 2,
     .parses_options = true, .efi = false, .pcbios = false,
     .usage = "<uri|image> <signature uri|image>",
     .config_flag = "IMAGE_TRUST_CMD (off)"},
    {.name = "inc", .id = CMD_ID_INC,
     .min_args = 1, .max_args = 2, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<setting> [<increment>]",
     .config_flag = "NVO_CMD"},
    {.name = "initrd", .alias_of = "imgfetch", .id = CMD_ID_IMGFETCH,
     .opts = opts_image,
     .nopts = COUNT(opts_image), .min_args = 1,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<uri> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "ipstat", .id = CMD_ID_IPSTAT,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = false, .pcbios = false, .usage = NULL,
     .config_flag = "IPSTAT_CMD (off)"},
    {.name = "iseq", .id = CMD_ID_ISEQ,
     .min_args = 2, .max_args = 2, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<value1> <value2>",
     .config_flag = "none (core, always linked)"},
    {.name = "isset", .id = CMD_ID_ISSET,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<value>",
     .config_flag = "none (core, always linked)"},
    {.name = "item", .id = CMD_ID_ITEM,
     .opts = opts_item, .nopts = COUNT(opts_item),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<name> [<text>]]",
     .config_flag = "MENU_CMD or FORM_CMD (either links dynui_cmd.c)"},
    {.name = "iwlist", .id = CMD_ID_IWLIST,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]",
     .config_flag = "IWMGMT_CMD (via src/config/config_net80211.c)"},
    {.name = "iwstat", .id = CMD_ID_IWSTAT,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "[<interface>...]",
     .config_flag = "IWMGMT_CMD (via src/config/config_net80211.c)"},
    {.name = "kernel", .alias_of = "imgselect", .id = CMD_ID_IMGSELECT,
     .opts = opts_image,
     .nopts = COUNT(opts_image), .min_args = 1,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<uri|image> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "login", .id = CMD_ID_LOGIN,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = true, .pcbios = true, .usage = NULL, .config_flag = "LOGIN_CMD"},
    {.name = "lotest", .id = CMD_ID_LOTEST,
     .opts = opts_lotest, .nopts = COUNT(opts_lotest),
     .min_args = 2, .max_args = 2, .parses_options = true, .efi = false,
     .pcbios = false, .usage = "<sending interface> <receiving interface>",
     .config_flag = "LOTEST_CMD (off)"},
    {.name = "md4sum", .id = CMD_ID_MD4SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = false, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD + CRYPTO_DIGEST_MD4 (src/config/crypto.h)"},
    {.name = "md5sum", .id = CMD_ID_MD5SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD"},
    {.name = "menu", .id = CMD_ID_MENU,
     .opts = opts_dynui, .nopts = COUNT(opts_dynui),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<title>]",
     .config_flag = "MENU_CMD or FORM_CMD (either links dynui_cmd.c)"},
    {.name = "module", .alias_of = "imgfetch", .id = CMD_ID_IMGFETCH,
     .opts = opts_image,
     .nopts = COUNT(opts_image), .min_args = 1,
     .max_args = CMD_ARGS_UNLIMITED, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<uri> [<arguments>...]",
     .config_flag = "IMAGE_CMD"},
    {.name = "nslookup", .id = CMD_ID_NSLOOKUP,
     .min_args = 2, .max_args = 2, .parses_options = true,
     .efi = false, .pcbios = false, .usage = "<setting> <name>",
     .config_flag = "NSLOOKUP_CMD (off)"},
    {.name = "nstat", .id = CMD_ID_NSTAT,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = false, .pcbios = false, .usage = NULL,
     .config_flag = "NEIGHBOUR_CMD (off)"},
    {.name = "ntp", .id = CMD_ID_NTP,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<server>",
     .config_flag = "NTP_CMD"},
    {.name = "param", .id = CMD_ID_PARAM,
     .opts = opts_param, .nopts = COUNT(opts_param),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<key> [<value>]",
     .config_flag = "PARAM_CMD"},
    {.name = "params", .id = CMD_ID_PARAMS,
     .opts = opts_params, .nopts = COUNT(opts_params),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = false, .usage = NULL, .config_flag = "PARAM_CMD"},
    {.name = "pciscan", .id = CMD_ID_PCISCAN,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<setting>",
     .config_flag = "PCI_CMD (via src/config/config_pci.c)"},
    {.name = "ping", .id = CMD_ID_PING,
     .opts = opts_ping, .nopts = COUNT(opts_ping),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = false,
     .pcbios = false, .usage = "<host>", .config_flag = "PING_CMD (off)"},
    {.name = "poweroff", .id = CMD_ID_POWEROFF,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = true, .pcbios = true, .usage = NULL,
     .config_flag = "POWEROFF_CMD (unless REBOOT_NULL)"},
    {.name = "present", .id = CMD_ID_PRESENT,
     .opts = opts_present, .nopts = COUNT(opts_present),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = true, .usage = NULL,
     .config_flag = "MENU_CMD or FORM_CMD (either links dynui_cmd.c)"},
    {.name = "profstat", .id = CMD_ID_PROFSTAT,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = false, .pcbios = false, .usage = NULL,
     .config_flag = "PROFSTAT_CMD (off)"},
    {.name = "prompt", .id = CMD_ID_PROMPT,
     .opts = opts_prompt, .nopts = COUNT(opts_prompt),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<text>]",
     .config_flag = "IMAGE_SCRIPT (script image type)"},
    {.name = "pxebs", .id = CMD_ID_PXEBS,
     .min_args = 2, .max_args = 2, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<interface> <server type>",
     .config_flag = "DHCP_CMD"},
    {.name = "read", .id = CMD_ID_READ,
     .opts = opts_timeout, .nopts = COUNT(opts_timeout),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<setting>", .config_flag = "NVO_CMD"},
    {.name = "reboot", .id = CMD_ID_REBOOT,
     .opts = opts_reboot, .nopts = COUNT(opts_reboot),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = true, .usage = NULL,
     .config_flag = "REBOOT_CMD (unless REBOOT_NULL)"},
    {.name = "route", .id = CMD_ID_ROUTE,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = true, .pcbios = true, .usage = NULL, .config_flag = "ROUTE_CMD"},
    {.name = "sanboot", .id = CMD_ID_SANBOOT,
     .opts = opts_sanboot, .nopts = COUNT(opts_sanboot),
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "[<root-path>]",
     .config_flag = "SANBOOT_CMD"},
    {.name = "sanhook", .id = CMD_ID_SANHOOK,
     .opts = opts_sanhook, .nopts = COUNT(opts_sanhook),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<root-path>",
     .config_flag = "SANBOOT_CMD"},
    {.name = "sanunhook", .id = CMD_ID_SANUNHOOK, .opts = opts_sanunhook,
     .nopts = COUNT(opts_sanunhook), .min_args = 0, .max_args = 0,
     .parses_options = true, .efi = true, .pcbios = true, .usage = NULL,
     .config_flag = "SANBOOT_CMD"},
    {.name = "set", .id = CMD_ID_SET,
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = true, .pcbios = true,
     .usage = "<setting> <value>", .config_flag = "NVO_CMD"},
    {.name = "sha1sum", .id = CMD_ID_SHA1SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD"},
    {.name = "sha224sum", .id = CMD_ID_SHA224SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD + CRYPTO_DIGEST_SHA224"},
    {.name = "sha256sum", .id = CMD_ID_SHA256SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD + CRYPTO_DIGEST_SHA256"},
    {.name = "sha384sum", .id = CMD_ID_SHA384SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD + CRYPTO_DIGEST_SHA384"},
    {.name = "sha512sum", .id = CMD_ID_SHA512SUM,
     .opts = opts_digest, .nopts = COUNT(opts_digest),
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<image> [<image>...]",
     .config_flag = "DIGEST_CMD + CRYPTO_DIGEST_SHA512"},
    {.name = "shell", .id = CMD_ID_SHELL,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = true, .pcbios = true, .usage = NULL,
     .config_flag = "SHELL_CMD (shell.c is also always linked because "
                    "autoboot.c calls shell())"},
    {.name = "shim", .id = CMD_ID_SHIM,
     .opts = opts_shim, .nopts = COUNT(opts_shim),
     .min_args = 0, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = true, .usage = NULL, .config_flag = "SHIM_CMD"},
    {.name = "show", .id = CMD_ID_SHOW,
     .opts = opts_show, .nopts = COUNT(opts_show),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = true, .usage = "<setting>", .config_flag = "NVO_CMD"},
    {.name = "sleep", .id = CMD_ID_SLEEP,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = true, .usage = "<seconds>",
     .config_flag = "none (core, always linked)"},
    {.name = "startpxe", .id = CMD_ID_STARTPXE,
     .min_args = 0, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = false, .pcbios = false,
     .usage = "[<interface>]", .config_flag = "PXE_CMD (off)"},
    {.name = "stoppxe", .id = CMD_ID_STOPPXE,
     .min_args = 0, .max_args = 0, .parses_options = true,
     .efi = false, .pcbios = false, .usage = NULL,
     .config_flag = "PXE_CMD (off)"},
    {.name = "sync", .id = CMD_ID_SYNC,
     .opts = opts_timeout, .nopts = COUNT(opts_timeout),
     .min_args = 0, .max_args = 0, .parses_options = true, .efi = true,
     .pcbios = true, .usage = NULL, .config_flag = "SYNC_CMD"},
    {.name = "time", .id = CMD_ID_TIME,
     .min_args = 1, .max_args = CMD_ARGS_UNLIMITED,
     .parses_options = true, .efi = false, .pcbios = false,
     .usage = "<command>", .config_flag = "TIME_CMD (off)"},
    {.name = "usbscan", .id = CMD_ID_USBSCAN,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<setting>",
     .config_flag = "USB_CMD (via src/config/config_usb.c)"},
    {.name = "vcreate", .id = CMD_ID_VCREATE,
     .opts = opts_vcreate, .nopts = COUNT(opts_vcreate),
     .min_args = 1, .max_args = 1, .parses_options = true, .efi = true,
     .pcbios = false, .usage = "<trunk interface>", .config_flag = "VLAN_CMD"},
    {.name = "vdestroy", .id = CMD_ID_VDESTROY,
     .min_args = 1, .max_args = 1, .parses_options = true,
     .efi = true, .pcbios = false, .usage = "<VLAN interface>",
     .config_flag = "VLAN_CMD"},
};
/* clang-format on */

/** Bytes in the longest command name ("sha224sum" and friends have 9):
 *  longer words cannot be commands, nor near misses worth suggesting. */
#define CMD_NAME_MAX 10

/** Compare the table name @p name with @p len bytes of @p s, as strcmp()
 *  orders them. */
static int name_cmp(const char *name, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char a = (unsigned char)name[i];
        unsigned char b = (unsigned char)s[i];

        /* A NUL in @p name means it is the shorter (a < b, b may be NUL
         * too: then s holds a NUL byte and still sorts after) */
        if (a != b || a == '\0')
            return a < b || a == '\0' ? -1 : 1;
    }
    return name[len] == '\0' ? 0 : 1;
}

const struct cmd_def *cmdtable_find(const char *name, size_t len)
{
    size_t lo = 0;
    size_t hi = sizeof(commands) / sizeof(commands[0]);

    if (len == 0 || len > CMD_NAME_MAX)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = name_cmp(commands[mid].name, name, len);

        if (cmp == 0)
            return &commands[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct cmd_def *cmdtable_all(size_t *n)
{
    *n = sizeof(commands) / sizeof(commands[0]);
    return commands;
}

const struct cmd_option *cmdtable_long(const struct cmd_def *def,
                                       const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < def->nopts; i++) {
        const char *o = def->opts[i].long_name;

        if (strncmp(o, name, len) == 0 && o[len] == '\0')
            return &def->opts[i];
    }
    return NULL;
}

const struct cmd_option *cmdtable_short(const struct cmd_def *def, char c)
{
    size_t i;

    if (c == '\0')
        return NULL;
    for (i = 0; i < def->nopts; i++) {
        if (def->opts[i].short_name == c)
            return &def->opts[i];
    }
    return NULL;
}

/** Lower-case ASCII only: command names are [a-z0-9]. */
static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/**
 * The optimal-string-alignment distance between @p a and @p b (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1; case
 * is ignored), or @p limit + 1 if it is more than @p limit.  Both are at
 * most CMD_NAME_MAX + 2 bytes.
 */
static size_t edit_distance(const char *a, size_t alen, const char *b,
                            size_t blen, size_t limit)
{
    size_t rows[3][CMD_NAME_MAX + 4];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    size_t i, j;

    for (j = 0; j <= blen; j++)
        prev[j] = j;
    for (i = 1; i <= alen; i++) {
        size_t best = SIZE_MAX;
        size_t *t;

        cur[0] = i;
        for (j = 1; j <= blen; j++) {
            unsigned char ca = lower((unsigned char)a[i - 1]);
            unsigned char cb = lower((unsigned char)b[j - 1]);
            size_t v = prev[j - 1] + (ca != cb);

            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (cur[0] < best)
            best = cur[0];
        if (best > limit)
            return limit + 1;
        t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[blen] > limit ? limit + 1 : prev[blen];
}

const struct cmd_def *cmdtable_suggest(const char *name, size_t len)
{
    const struct cmd_def *best = NULL;
    size_t best_dist;
    size_t limit;
    size_t i;

    /* One typo in a short name, two from five letters on: "chian",
     * "isseq", "exitl" are one away; anything further is a guess */
    if (len == 0 || len > CMD_NAME_MAX + 2)
        return NULL;
    limit = len >= 5 ? 2 : 1;
    best_dist = limit + 1;
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        const struct cmd_def *def = &commands[i];
        size_t dlen = strlen(def->name);
        size_t d;

        if (dlen + limit < len || len + limit < dlen)
            continue;
        d = edit_distance(name, len, def->name, dlen, limit);
        /* Ties go to the command a default build has, then to the first
         * in alphabetical order */
        if (d < best_dist ||
            (d == best_dist && best && !best->efi && def->efi)) {
            best = def;
            best_dist = d;
        }
    }
    return best;
}
