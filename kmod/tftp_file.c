// SPDX-License-Identifier: GPL-2.0
/*
 * Open the file a TFTP client asked for, strictly beneath the configured
 * root.  Runs in process context (a work item): path lookup may sleep.
 */

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "compat.h"
#include "tftp.h"

#define TFTP_LOOKUP_FLAGS	(LOOKUP_FOLLOW | LOOKUP_BENEATH | \
				 LOOKUP_NO_MAGICLINKS)

/* Components a case-folded lookup walks at most (each is one lookup). */
#define TFTP_FOLD_MAX_DEPTH	32

/* Looking through a directory for a name that differs only in case. */
struct tftp_fold_ctx {
	struct dir_context ctx;
	const char *want;	/* the component as the client spelled it */
	unsigned int want_len;
	char *found;		/* PXEFAST_PATH_MAX bytes: the match */
	bool match;
};

static bool tftp_fold_actor(struct dir_context *ctx, const char *name,
			    int len, loff_t off, u64 ino, unsigned int type)
{
	struct tftp_fold_ctx *f = container_of(ctx, struct tftp_fold_ctx, ctx);

	if (len != f->want_len || strncasecmp(name, f->want, len))
		return true;
	/* Several spellings: the first in byte order, whatever the
	 * directory's order.
	 */
	if (!f->match || memcmp(name, f->found, len) < 0) {
		memcpy(f->found, name, len);
		f->found[len] = 0;
		f->match = true;
	}
	return true;
}

/*
 * Find in the directory @dir (beneath @root) an entry named @comp
 * (@len bytes) ignoring ASCII case; its name goes to @found.  Only
 * world-readable directories are read: the client is anonymous.
 */
static int tftp_fold_component(const struct path *root, const char *dir,
			       const char *comp, unsigned int len, char *found)
{
	struct tftp_fold_ctx f = {
		.ctx.actor = tftp_fold_actor,
		.want = comp,
		.want_len = len,
		.found = found,
	};
	struct file *file;
	struct path path;
	int err;

	err = vfs_path_lookup(root->dentry, root->mnt, *dir ? dir : ".",
			      TFTP_LOOKUP_FLAGS, &path);
	if (err)
		return err;
	if (!d_is_dir(path.dentry) || !(d_inode(path.dentry)->i_mode & 0004)) {
		path_put(&path);
		return -ENOENT;
	}
	file = dentry_open(&path, O_RDONLY | O_DIRECTORY, current_cred());
	path_put(&path);
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = iterate_dir(file, &f.ctx);
	fput(file);
	if (err)
		return err;
	return f.match ? 0 : -ENOENT;
}

/*
 * Resolve @name beneath @root, a component that is not found as spelled
 * being matched ignoring ASCII case (Windows Boot Manager asks for
 * \Boot\BCD, the tree copied from its media may hold boot/bcd).  The path
 * so spelled is then looked up again from the root with the same
 * LOOKUP_BENEATH rules as any other: ".." above the root, and symlinks
 * leading out, are refused whatever their case.
 */
static int tftp_fold_lookup(const struct path *root, const char *name,
			    struct path *out)
{
	char *buf, *found, *end;
	unsigned int len = 0, n, depth = 0;
	const char *p = name;
	struct path path;
	int err;

	buf = kmalloc(2 * PXEFAST_PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	found = buf + PXEFAST_PATH_MAX;

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		n = end - p;
		if (++depth > TFTP_FOLD_MAX_DEPTH) {
			err = -ENOENT;
			goto out;
		}
		/* len + '/' + n + NUL fit: the name itself is shorter. */
		if (len)
			buf[len++] = '/';
		memcpy(buf + len, p, n);
		buf[len + n] = 0;
		if ((n == 1 && p[0] == '.') || (n == 2 && !memcmp(p, "..", 2))) {
			len += n;	/* no case to fold */
			p = end;
			continue;
		}
		err = vfs_path_lookup(root->dentry, root->mnt, buf,
				      TFTP_LOOKUP_FLAGS, &path);
		if (!err) {
			path_put(&path);
		} else if (err == -ENOENT) {
			buf[len ? len - 1 : 0] = 0;
			err = tftp_fold_component(root, buf, p, n, found);
			if (err)
				goto out;
			if (len)
				buf[len - 1] = '/';
			memcpy(buf + len, found, n);
			buf[len + n] = 0;
		} else {
			goto out;
		}
		len += n;
		p = end;
	}
	err = vfs_path_lookup(root->dentry, root->mnt, len ? buf : ".",
			      TFTP_LOOKUP_FLAGS, out);
out:
	kfree(buf);
	return err;
}

/**
 * pxefast_tftp_open - resolve and open @s->name below @s->root
 * @s: the session; on success @s->file and @s->size are set
 * @why: set to a message for the client on failure
 *
 * The lookup refuses ".." above the root, absolute symlinks and symlinks
 * leading out (LOOKUP_BENEATH), and magic links.  With case folding on, a
 * name not found as spelled is looked for ignoring ASCII case, under the
 * same rules (tftp_fold_lookup()).  Only regular files
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
			      TFTP_LOOKUP_FLAGS, &path);
	if (err == -ENOENT && s->case_fold)
		err = tftp_fold_lookup(&s->root, s->name, &path);
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
