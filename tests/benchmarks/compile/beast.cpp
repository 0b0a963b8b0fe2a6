// Compile cost, Beast: the Beast transport and one co_await update.
#include "modelarts/asio.hpp"
#include "modelarts/modelarts.hpp"
#include "modelarts/transports/beast.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

int main()
{
    boost::asio::io_context io;
    auto s = modelarts::make_session(modelarts::beast_transport(io.get_executor()),
                                     {.endpoint = "http://127.0.0.1:8080", .project_id = "p"});
    if (!s) return 1;
    boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
        auto r = co_await modelarts::estimator{*s, "182626"}.async_update_job_description("x", boost::asio::use_awaitable);
        (void)r;
    }, boost::asio::detached);
    io.run();
}
