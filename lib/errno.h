/* SPDX-License-Identifier: MIT */
/* Error codes: functions that can fail return 0 or one of these, negated. */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#define ENOENT		2
#define EIO		5
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENOTSUP		95
#define ETIMEDOUT	110

static inline const char *err_name(int e)
{
	switch (e < 0 ? -e : e) {
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EEXIST: return "EEXIST";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOTSUP: return "ENOTSUP";
	case ETIMEDOUT: return "ETIMEDOUT";
	case 0: return "OK";
	default: return "E?";
	}
}

#endif
