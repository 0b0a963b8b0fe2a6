// Running the programs as a user runs them, for test_command.cpp and test_batch.cpp:
// modelarts-update-job-description in a clean environment, modelarts-emulator as a process.
#ifndef MODELARTS_TESTS_COMMAND_SUPPORT_HPP
#define MODELARTS_TESTS_COMMAND_SUPPORT_HPP

#include "net_support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace command_support {

struct outcome {
    int status = -1;
    std::string out, err;
};

inline std::string quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

// The shell line that runs the command with `env` (NAME=value words) and `args` in a clean environment.
inline std::string command_line(const std::string& env, const std::vector<std::string>& args)
{
    std::string line = "env -i PATH=/usr/bin:/bin " + env + ' ' + quote(std::getenv("MODELARTS_COMMAND"));
    for (const auto& a : args) line += ' ' + quote(a);
    return line;
}

// Runs the command; `input`, when given, is a file fed to its stdin.
inline outcome run(const std::string& env, const std::vector<std::string>& args, const std::string& input = "")
{
    const std::string out = "command.out", err = "command.err";
    std::string line = command_line(env, args) + " >" + out + " 2>" + err;
    if (!input.empty()) line += " <" + quote(input);
    const int rc = std::system(line.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
}

// Runs the command with stderr on a pseudo-terminal (util-linux's `script`), stdout to a file:
// `err` is what the terminal showed.
inline outcome run_on_terminal(const std::string& env, const std::vector<std::string>& args)
{
    const std::string out = "command.out", tty = "command.tty";
    const std::string inner = command_line(env, args) + " >" + out + " </dev/null";
    const int rc = std::system(("script -qefc " + quote(inner) + " /dev/null >" + tty + " 2>&1 </dev/null").c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(tty)};
}

// modelarts-emulator as a process, with `args`; stopped with SIGTERM by stop().
struct emulator_process {
    explicit emulator_process(const std::string& args, const std::string& log = "emulator.out") : log(log)
    {
        // The shell truncates the log only once it runs: a previous emulator's "listening on"
        // line must not be read as this one's.
        std::remove(log.c_str());
        std::string line = "exec " + quote(std::getenv("MODELARTS_EMULATOR")) + " --port 0 " + args + " >" + log + " 2>&1 & echo $!";
        FILE* p = ::popen(line.c_str(), "r");
        REQUIRE(p);
        REQUIRE(std::fscanf(p, "%d", &pid) == 1);
        ::pclose(p);
        std::smatch m;
        std::string text;
        const std::regex listening(R"(listening on (http://127\.0\.0\.1:[0-9]+))");
        for (int i = 0; i < 100 && !std::regex_search(text = slurp(log), m, listening); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        REQUIRE(m.size() == 2);
        endpoint = m[1];
    }
    ~emulator_process()
    {
        if (!stopped) ::kill(pid, SIGKILL);
    }
    bool stop()
    {
        REQUIRE(::kill(pid, SIGTERM) == 0);
        for (int i = 0; i < 100 && !stopped; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            stopped = slurp(log).find("stopped") != std::string::npos;
        }
        return stopped;
    }
    std::string log, endpoint;
    int pid = 0;
    bool stopped = false;
};

} // namespace command_support

#endif
