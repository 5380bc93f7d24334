/* SPDX-License-Identifier: GPL-2.0-or-later */
/* placeholder: replaced by the DSA/IAA model */
#include "qemu/osdep.h"
