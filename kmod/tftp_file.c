// SPDX-License-Identifier: GPL-2.0
/*
 * Open the file a TFTP client asked for, strictly beneath the configured
 * root.  Runs in process context (a work item): path lookup may sleep.
 */

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>
#include "compat.h"
#include "tftp.h"

/**
 * pxefast_tftp_open - resolve and open @s->name below @s->root
 * @s: the session; on success @s->file and @s->size are set
 * @why: set to a message for the client on failure
 *
 * The lookup refuses ".." above the root, absolute symlinks and symlinks
 * leading out (LOOKUP_BENEATH), and magic links.  Only regular files
 * readable by everyone are served: a TFTP client is anonymous, and the
 * module reads with the kernel's credentials.
 *
 * Return: 0 or the TFTP error code to answer with.
 */
int pxefast_tftp_open(struct pxefast_tftp_session *s, const char **why)
{
	struct inode *inode;
	struct file *file;
	struct path path;
	int err;

	err = vfs_path_lookup(s->root.dentry, s->root.mnt, s->name,
			      LOOKUP_FOLLOW | LOOKUP_BENEATH |
			      LOOKUP_NO_MAGICLINKS, &path);
	switch (err) {
	case 0:
		break;
	case -ENOENT:
	case -ENOTDIR:
	case -ENAMETOOLONG:
		*why = "file not found";
		return TFTP_ENOTFOUND;
	default:
		*why = "access violation";
		return TFTP_EACCESS;
	}

	inode = d_inode(path.dentry);
	if (!S_ISREG(inode->i_mode)) {
		path_put(&path);
		*why = "not a regular file";
		return TFTP_EACCESS;
	}
	if ((inode->i_mode & 0004) == 0) {
		path_put(&path);
		*why = "file not readable";
		return TFTP_EACCESS;
	}

	file = dentry_open(&path, O_RDONLY | O_LARGEFILE, current_cred());
	path_put(&path);
	if (IS_ERR(file)) {
		*why = "cannot open file";
		return TFTP_EACCESS;
	}
	s->file = file;
	s->size = i_size_read(file_inode(file));
	return 0;
}
