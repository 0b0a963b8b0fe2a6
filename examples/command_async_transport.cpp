#include "command_async_transport.hpp"
#include "command_transport.hpp"

#include "modelarts/testing/emulator.hpp"
#include "modelarts/transports/beast.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <utility>

namespace command {
namespace {

// The in-process emulator as an Asio-based transport: it answers at once, but through the
// executor, so that no handler runs inside the call that started it.
class posted_emulator_transport {
public:
    using executor_type = boost::asio::any_io_executor;

    posted_emulator_transport(executor_type ex, std::unique_ptr<modelarts::testing::emulator> em)
        : executor_(std::move(ex)), emulator_(std::move(em))
    {
    }

    executor_type get_executor() const noexcept { return executor_; }

    template <class CompletionToken>
    auto async_send(modelarts::http_request req, CompletionToken&& token)
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, modelarts::http_response)>(
            [this](auto handler, modelarts::http_request r) {
                auto answer = modelarts::testing::in_process_transport{*emulator_}.send(r);
                boost::system::error_code ec = answer ? boost::system::error_code{} : answer.error();
                boost::asio::post(executor_, boost::asio::append(std::move(handler), ec, answer ? std::move(*answer) : modelarts::http_response{}));
            },
            token, std::move(req));
    }

private:
    executor_type executor_;
    std::unique_ptr<modelarts::testing::emulator> emulator_;
};

} // namespace

modelarts::any_async_transport make_async_transport(boost::asio::io_context& ioc, modelarts::session_options& options)
{
    if (!options.endpoint.empty()) return modelarts::any_async_transport{modelarts::beast_transport{ioc.get_executor()}};
    return modelarts::any_async_transport{posted_emulator_transport{ioc.get_executor(), make_emulator(options)}};
}

} // namespace command
