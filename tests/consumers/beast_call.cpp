// A consumer of the installed Beast transport compiled once, as the README says: this unit makes
// a call, beast_source.cpp compiles the transport, and both are built with
// MODELARTS_SEPARATE_COMPILATION. Nothing listens on the port it calls, so the call must end as
// connection_refused: the transport was compiled, linked and ran.
#include <modelarts/asio.hpp>
#include <modelarts/modelarts.hpp>
#include <modelarts/transports/beast.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <utility>

int main()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket bound(io);  // a port that is bound but never listens: refused
    bound.open(boost::asio::ip::tcp::v4());
    bound.bind({boost::asio::ip::address_v4::loopback(), 0});
    const std::string endpoint = "http://127.0.0.1:" + std::to_string(bound.local_endpoint().port());

    auto s = modelarts::make_session(modelarts::beast_transport{io.get_executor()},
                                     {.endpoint = endpoint, .project_id = "0123456789abcdef0123456789abcdef",
                                      .retry = {.max_attempts = 1}});
    if (!s) return 1;
    std::optional<modelarts::result<modelarts::update_result>> got;
    modelarts::estimator{*s, "182626"}.async_update_job_description(
        "compiled once", [&](modelarts::result<modelarts::update_result> r) { got = std::move(r); });
    io.run();
    if (!got || got->has_value()) return 1;
    std::cout << "beast transport compiled once: " << got->error().message() << '\n';
    return got->error() == modelarts::error::connection_refused ? 0 : 1;
}
