// tools/lxdpp/commands/backup.hpp — `lxdpp export`, `import` and `image copy`.
#pragma once

#include <string>
#include <vector>

#include <lxd/backups.hpp>

#include "context.hpp"

namespace lxdpp_cli {

/// export, import (instance backups as tarballs) and image copy (between servers).
class backup_command {
public:
    explicit backup_command(context& ctx) : ctx_(ctx) {}
    /// Registers export and import on `app`, and copy under its `image` group (add it after
    /// the image command).
    void add(CLI::App& app);
    void export_instance();
    void import_instance();
    void copy_image();

private:
    context& ctx_;
    std::string name_, target_, compression_, storage_, mode_;
    std::vector<std::string> args_, aliases_;
    bool instance_only_ = false, optimized_ = false, copy_aliases_ = false, auto_update_ = false, is_public_ = false;
};

/// Now + 24 hours, RFC 3339 UTC: lxc's expiry of the backup an export makes (so the server
/// removes it should the download's clean-up not happen).
std::string in_a_day();

/// Makes a backup in `where` (waiting with progress under `label`), downloads it to `file`
/// with progress and deletes it on the server, also when the download fails: `lxc export`
/// and `lxc storage volume export`.
void export_backup(const context& ctx, const lxd::backups& where, const lxd::backup_create& o, const std::string& file,
                   const std::string& label);

/// Copies image `image` of `source` to `target` by relay, with progress on a terminal (as
/// `lxc image copy` and a launch from another remote's image). Returns the fingerprint.
std::string relay_image(const context& ctx, const lxd::client& source, const std::string& image, const lxd::client& target,
                        lxd::image_copy o = {});

}  // namespace lxdpp_cli
