#pragma once
// Removes secrets given as mount options (-o password=...) from the process's argv memory,
// which is what `ps` and /proc/PID/cmdline show, once the options have been parsed.

namespace swiftfs::cli {

// True for option names whose value is a secret ("password", "*secret", "*token").
bool IsSecretOptionName(const char* name, unsigned long length);

// Rewrites, in place, every secret option inside each -o argument of argv (both "-o LIST"
// and "-oLIST"): "a=1,password=hunter2,b=2" becomes "a=1,password=,b=2" followed by NUL
// bytes, so neither the secret nor its length remains. Other arguments are left as they are.
void ScrubSecretOptions(int argc, char** argv);

}  // namespace swiftfs::cli
