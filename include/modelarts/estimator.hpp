/**
 * @file estimator.hpp
 * The SDK's three ways to update a job's description: through an `estimator`, a
 * `training_job`, or a `job_version` from `estimator::get_job_version_object_list()`. All three
 * take the same path and send byte-identical requests. Each call has an async twin, for
 * sessions over an `async_transport`, completing with the same `result<T>`.
 */
#ifndef MODELARTS_ESTIMATOR_HPP
#define MODELARTS_ESTIMATOR_HPP

#include "modelarts/error.hpp"
#include "modelarts/response.hpp"
#include "modelarts/session.hpp"
#include "modelarts/transport.hpp"
#include "modelarts/validation.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelarts {

/**
 * A training job as the SDK's `estimator.fit(...)` hands it back: a job id and a version id.
 * @tparam Transport the session's transport
 */
template <class Transport>
class training_job {
public:
    /**
     * @param s the session to send through; must outlive this object
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param version_id the version's id (0 when unknown, as for v2 jobs)
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    training_job(session<Transport>& s, std::string job_id, std::int64_t version_id = 0,
                 api_version api = api_version::automatic)
        : session_(&s), job_id_(std::move(job_id)), version_id_(version_id), api_(api)
    {
    }

    /**
     * Builds the job object from the answer to v1's create-job call.
     * @param s the session to send through; must outlive this object
     * @param created a successful `parse_create_job_response` result
     */
    training_job(session<Transport>& s, const create_job_result& created)
        : training_job(s, std::to_string(created.job_id), created.version_id, api_version::v1)
    {
    }

    /** @return the job's id */
    const std::string& job_id() const noexcept { return job_id_; }
    /** @return the version's id (0 when unknown) */
    std::int64_t version_id() const noexcept { return version_id_; }
    /** @return the session this job sends through */
    session<Transport>& get_session() const noexcept { return *session_; }

    /**
     * Changes the job's description (the API is per job: every version shows it).
     * @param description valid UTF-8, at most 256 code points
     * @return the service's verdict, or the error that stopped the call
     */
    result<update_result> update_job_description(std::string_view description) const
        requires sync_transport<Transport>
    {
        return detail::update_job_description(*session_, job_id_, api_, description, nullptr);
    }

    /**
     * As `update_job_description(description)`, also recording the response's status and request
     * id in `diag` whenever a response arrived, even one that could not be understood.
     * @param description valid UTF-8, at most 256 code points
     * @param diag filled when a response arrived
     * @return the service's verdict, or the error that stopped the call
     */
    result<update_result> update_job_description(std::string_view description, diagnostics& diag) const
        requires sync_transport<Transport>
    {
        return detail::update_job_description(*session_, job_id_, api_, description, &diag);
    }

    /**
     * Starts changing the job's description.
     * @param description valid UTF-8, at most 256 code points (copied)
     * @param token a callback `void(result<update_result>)`, called once: at once for refused
     *        input, else from the transport's completion; or, with "modelarts/asio.hpp", any
     *        Asio completion token (`use_awaitable`, `use_future`, ...)
     * @return whatever the token makes of it (nothing for a callback)
     */
    template <class CompletionToken>
    auto async_update_job_description(std::string_view description, CompletionToken&& token) const
        requires async_transport<Transport>
    {
        return detail::initiate<void(result<update_result>)>(
            [s = session_, id = job_id_, api = api_, text = std::string(description)](auto handler) {
                detail::async_update_job_description(*s, id, api, text, std::move(handler));
            },
            std::forward<CompletionToken>(token), session_->transport());
    }

private:
    session<Transport>* session_;
    std::string job_id_;
    std::int64_t version_id_;
    api_version api_;
};

/**
 * One version of a v1 job, as the SDK's `get_job_version_object_list()` gives it.
 * @tparam Transport the session's transport
 */
template <class Transport>
class job_version {
public:
    /**
     * @param s the session to send through; must outlive this object
     * @param info the version as the version list described it
     */
    job_version(session<Transport>& s, job_version_info info)
        : job_(s, std::to_string(info.job_id), info.version_id, api_version::v1), info_(std::move(info))
    {
    }

    /** @return the job's id, as text (the form update requests use) */
    const std::string& job_id() const noexcept { return job_.job_id(); }
    /** @return the version's id */
    std::int64_t version_id() const noexcept { return info_.version_id; }
    /** @return the version's name, e.g. "V0001" */
    const std::string& version_name() const noexcept { return info_.version_name; }
    /** @return every documented field of the version */
    const job_version_info& info() const noexcept { return info_; }

    /**
     * Changes the job's description (the API is per job: every version shows it).
     * @param description valid UTF-8, at most 256 code points
     * @return the service's verdict, or the error that stopped the call
     */
    result<update_result> update_job_description(std::string_view description) const
        requires sync_transport<Transport>
    {
        return job_.update_job_description(description);
    }

    /**
     * @param description valid UTF-8, at most 256 code points
     * @param diag filled when a response arrived
     * @return the service's verdict, or the error that stopped the call
     */
    result<update_result> update_job_description(std::string_view description, diagnostics& diag) const
        requires sync_transport<Transport>
    {
        return job_.update_job_description(description, diag);
    }

    /**
     * Starts changing the job's description; see `training_job::async_update_job_description`.
     * @param description valid UTF-8, at most 256 code points (copied)
     * @param token a callback `void(result<update_result>)` or, with "modelarts/asio.hpp", an Asio token
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_update_job_description(std::string_view description, CompletionToken&& token) const
        requires async_transport<Transport>
    {
        return job_.async_update_job_description(description, std::forward<CompletionToken>(token));
    }

private:
    training_job<Transport> job_;
    job_version_info info_;
};

/**
 * The answer of `get_job_version_object_list()`: the service's verdict and, on success, one
 * object per version, in the service's order. Indexable like the SDK's list.
 * @tparam Transport the session's transport
 */
template <class Transport>
struct job_version_object_list : service_status {
    std::int64_t version_count = 0;                ///< how many versions the job has
    std::vector<job_version<Transport>> versions;  ///< one object per version

    /** @return the number of version objects */
    std::size_t size() const noexcept { return versions.size(); }
    /** @return true when there are none */
    bool empty() const noexcept { return versions.empty(); }
    /** @param i index, less than size() @return the i-th version */
    const job_version<Transport>& operator[](std::size_t i) const noexcept { return versions[i]; }
    /** @return iterator to the first version */
    auto begin() const noexcept { return versions.begin(); }
    /** @return iterator past the last version */
    auto end() const noexcept { return versions.end(); }
};

namespace detail {

// Turns the parsed list into SDK-style objects of the job that was asked for.
template <class Transport>
result<job_version_object_list<Transport>> to_object_list(session<Transport>& s, std::string_view job_id,
                                                         result<version_list> list)
{
    if (!list) return list.error();
    job_version_object_list<Transport> out;
    static_cast<service_status&>(out) = std::move(static_cast<service_status&>(*list));
    out.version_count = list->version_count;
    std::int64_t id = 0;  // the request went out, so the id is a valid int64 decimal
    std::from_chars(job_id.data(), job_id.data() + job_id.size(), id);
    out.versions.reserve(list->versions.size());
    for (auto& v : list->versions) {
        v.job_id = id;  // versions belong to the job asked for, whatever the body omits
        out.versions.emplace_back(s, std::move(v));
    }
    return out;
}

} // namespace detail

/**
 * The SDK's `Estimator(modelarts_session=session, job_id="182626")`.
 * @code
 * modelarts::estimator est{session, "182626"};
 * auto r = est.update_job_description("update description");
 * if (!r) std::cerr << r.error().message() << '\n';          // refused, or no usable answer
 * else if (!r->is_success) std::cerr << r->error_code << ' ' << r->error_msg << '\n';
 * @endcode
 * @tparam Transport the session's transport
 */
template <class Transport>
class estimator {
public:
    /**
     * @param s the session to send through; must outlive this object
     * @param job_id the job's id (decimal for v1, UUID for v2); checked when used
     * @param api `automatic` to follow the id's form, or an explicit version
     */
    estimator(session<Transport>& s, std::string job_id, api_version api = api_version::automatic)
        : job_(s, std::move(job_id), 0, api)
    {
    }

    /** @return the job's id */
    const std::string& job_id() const noexcept { return job_.job_id(); }

    /**
     * Changes the job's description.
     * @param description valid UTF-8, at most 256 code points
     * @return the service's verdict, or the error that stopped the call
     */
    result<update_result> update_job_description(std::string_view description) const
        requires sync_transport<Transport>
    {
        return job_.update_job_description(description);
    }

    /**
     * @param description valid UTF-8, at most 256 code points
     * @param diag filled when a response arrived
     * @return the service's verdict, or the error that stopped the call
     */
    result<update_result> update_job_description(std::string_view description, diagnostics& diag) const
        requires sync_transport<Transport>
    {
        return job_.update_job_description(description, diag);
    }

    /**
     * Lists the job's versions (v1 jobs only), one object each, all of them (no paging).
     * @return the versions, a service failure (`is_success` false), or the error that stopped the call
     */
    result<job_version_object_list<Transport>> get_job_version_object_list() const
        requires sync_transport<Transport>
    {
        auto& s = job_.get_session();
        return detail::to_object_list(s, job_id(), detail::list_job_versions(s, job_id(), {}, nullptr));
    }

    /**
     * Starts changing the job's description; see `training_job::async_update_job_description`.
     * @param description valid UTF-8, at most 256 code points (copied)
     * @param token a callback `void(result<update_result>)` or, with "modelarts/asio.hpp", an Asio token
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_update_job_description(std::string_view description, CompletionToken&& token) const
        requires async_transport<Transport>
    {
        return job_.async_update_job_description(description, std::forward<CompletionToken>(token));
    }

    /**
     * Starts listing the job's versions.
     * @param token a callback `void(result<job_version_object_list<Transport>>)` or, with
     *        "modelarts/asio.hpp", an Asio token
     * @return whatever the token makes of it
     */
    template <class CompletionToken>
    auto async_get_job_version_object_list(CompletionToken&& token) const
        requires async_transport<Transport>
    {
        auto* s = &job_.get_session();
        return detail::initiate<void(result<job_version_object_list<Transport>>)>(
            [s, id = job_id()](auto handler) {
                detail::async_list_job_versions(*s, id, {}, [s, id, h = std::move(handler)](result<version_list> list) mutable {
                    h(detail::to_object_list(*s, id, std::move(list)));
                });
            },
            std::forward<CompletionToken>(token), s->transport());
    }

private:
    training_job<Transport> job_;
};

} // namespace modelarts

#endif
