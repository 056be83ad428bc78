/* SPDX-License-Identifier: MIT */
/** @file The codes ipxe-render reports (render_codes.h). */
#include "render_codes.h"

/* The one place the renderer spells its codes (docs/rules/IPX40nn.md). */
const struct render_code_info render_codes[RENDER_NCODES] = {
    [RENDER_TEMPLATE_SYNTAX] = {"IPX4001", "template-syntax"},
    [RENDER_TEMPLATE_UNSUPPORTED] = {"IPX4002", "template-unsupported"},
    [RENDER_TEMPLATE_UNDEFINED] = {"IPX4003", "template-undefined"},
    [RENDER_TEMPLATE_TYPE] = {"IPX4004", "template-type"},
    [RENDER_TEMPLATE_NULL] = {"IPX4005", "template-null"},
    [RENDER_VALUE_ADDS_LINE] = {"IPX4010", "value-adds-line"},
    [RENDER_VALUE_ADDS_LABEL] = {"IPX4011", "value-adds-label"},
    [RENDER_VALUE_ADDS_OPERATOR] = {"IPX4012", "value-adds-operator"},
    [RENDER_VALUE_ADDS_COMMENT] = {"IPX4013", "value-adds-comment"},
    [RENDER_VALUE_ADDS_EXPANSION] = {"IPX4014", "value-adds-expansion"},
    [RENDER_VALUE_SPLITS_WORD] = {"IPX4015", "value-splits-word"},
    [RENDER_VALUE_REMOVES_WORD] = {"IPX4016", "value-removes-word"},
    [RENDER_VALUE_ADDS_OPTION] = {"IPX4017", "value-adds-option"},
};
