/**
 * @file detail/login_flight.hpp
 * Credentials that are fetched (a session's IAM token, a provider's keys), fetched by one call at
 * a time (single flight), however many threads, calls in flight and sessions share them. A call
 * that needs them joins the flight: it uses those held when it may, fetches itself when no fetch
 * is under way, or else waits for the fetch under way. Credentials due for renewal but still valid
 * go on being used while another call renews them, and for a while after a renewal failed (with
 * backoff). The call that fetches says how it ended, and every waiter is told at once: they take
 * the new credentials, or end as the fetch ended. The call machine stays free of all this: the
 * drivers join, wait and report.
 */
#ifndef MODELARTS_DETAIL_LOGIN_FLIGHT_HPP
#define MODELARTS_DETAIL_LOGIN_FLIGHT_HPP

#include "modelarts/detail/sansio/call.hpp"
#include "modelarts/iam.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <condition_variable>
#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace modelarts::detail {

/** How a login that other calls waited for ended. */
struct login_outcome {
    std::shared_ptr<const iam_token> refusal;  ///< IAM refused: the waiters end with its refusal
    boost::system::error_code error;           ///< the login failed without a refusal: the waiters end with this
    /** @return true when the waiters should join again: a token was issued, or the login was abandoned */
    bool join_again() const noexcept { return !refusal && !error; }
};

/** The credentials held and the fetch under way, if any. Safe for concurrent use. */
class login_flight {
public:
    /** Told, once, how the login it waited for ended; called by the thread that ends it, no lock held. */
    using waiter = std::function<void(const login_outcome&)>;

    /** What a call that joined does. */
    enum class role {
        use,     ///< use `token`
        log_in,  ///< log in, then `land` or `fail` (or `abandon`)
        wait,    ///< the waiter will be called
    };

    /** A call's part in the flight. */
    struct ticket {
        role what;                               ///< what to do
        std::shared_ptr<const sansio::issued_credentials> token;  ///< the credentials held, if any (for `log_in`: to go on with if the fetch fails)
    };

    using clock = std::chrono::steady_clock;

    /** The first wait after a renewal failed while the credentials held were still valid; it doubles, up to `max_backoff`. */
    static constexpr std::chrono::seconds first_backoff{1};
    /** The longest wait between renewals that fail. */
    static constexpr std::chrono::minutes max_backoff{5};

    /**
     * @param usable whether the calling call may use credentials as they are: `bool(const issued_credentials&)`
     * @param valid whether they still work, due for renewal or not: `bool(const issued_credentials&)`
     * @param make_waiter makes the waiter, only when the call is to wait: `waiter()`
     * @param now the monotonic clock, for the backoff after a failed renewal
     * @return the call's part; `usable` and `valid` are called under the lock
     */
    template <class Usable, class Valid, class MakeWaiter>
    ticket join(const Usable& usable, const Valid& valid, MakeWaiter&& make_waiter, clock::time_point now)
    {
        std::lock_guard lock(mutex_);
        if (token_ && usable(*token_)) return {role::use, token_};
        if (token_ && valid(*token_) && (in_flight_ || now < retry_at_)) return {role::use, token_};  // renewing, or resting after a failure
        if (!in_flight_) {
            in_flight_ = true;
            return {role::log_in, token_};
        }
        waiters_.push_back(std::forward<MakeWaiter>(make_waiter)());
        return {role::wait, nullptr};
    }

    /** The fetch succeeded: `issued` is held, and the waiters join again. @param issued the credentials */
    void land(const sansio::issued_credentials& issued)
    {
        auto token = std::make_shared<const sansio::issued_credentials>(issued);
        {
            std::lock_guard lock(mutex_);
            backoff_ = first_backoff;
            retry_at_ = {};
        }
        end({}, &token);
    }

    /**
     * Renewing failed while the credentials held are still valid: they go on, the next renewal waits
     * (1 s, doubling up to 5 minutes), and the waiters join again.
     * @param now the monotonic clock
     */
    void renewal_failed(clock::time_point now)
    {
        {
            std::lock_guard lock(mutex_);
            retry_at_ = now + backoff_;
            backoff_ = std::min<clock::duration>(backoff_ * 2, max_backoff);
        }
        end({}, nullptr);
    }

    /**
     * The login failed: every waiter ends with its refusal or error.
     * @param refusal IAM's refusal, or null
     * @param ec else, the error
     */
    void fail(const iam_token* refusal, boost::system::error_code ec)
    {
        end({refusal ? std::make_shared<const iam_token>(*refusal) : nullptr, refusal ? boost::system::error_code() : ec}, nullptr);
    }

    /** The login was given up without an outcome (its call was cancelled): the waiters join again, and one logs in. */
    void abandon() { end({}, nullptr); }

    /** @return true while a call logs in */
    bool in_flight() const
    {
        std::lock_guard lock(mutex_);
        return in_flight_;
    }

    /** @return how many calls wait for the login under way */
    std::size_t waiting() const
    {
        std::lock_guard lock(mutex_);
        return waiters_.size();
    }

private:
    void end(const login_outcome& outcome, std::shared_ptr<const sansio::issued_credentials>* issued)
    {
        std::vector<waiter> told;
        {
            std::lock_guard lock(mutex_);
            if (issued) token_ = std::move(*issued);
            in_flight_ = false;
            told.swap(waiters_);
        }
        for (auto& w : told) w(outcome);
    }

    mutable std::mutex mutex_;
    std::shared_ptr<const sansio::issued_credentials> token_;
    std::vector<waiter> waiters_;
    clock::time_point retry_at_{};          // after a failed renewal: no new one before this
    clock::duration backoff_ = first_backoff;  // the wait after the next failure
    bool in_flight_ = false;
};

/**
 * What the call that logs in owes the others: to say how its login ended. Destroyed still owing
 * (its call was cancelled, or dropped by its transport), it abandons the login, and a waiter takes
 * it over.
 */
class login_duty {
public:
    login_duty() = default;
    login_duty(login_duty&& other) noexcept : flight_(std::exchange(other.flight_, nullptr)) {}
    login_duty& operator=(login_duty&&) = delete;
    ~login_duty() { abandon(); }

    /** @param flight the flight this call now logs in for */
    void take(login_flight& flight) noexcept { flight_ = &flight; }

    /** @return true while the call logs in for the others */
    bool owed() const noexcept { return flight_ != nullptr; }

    /** @param issued the credentials fetched: they are held for every call */
    void land(const sansio::issued_credentials& issued)
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->land(issued);
    }

    /** @param now the monotonic clock: the renewal failed, the credentials held go on */
    void renewal_failed(login_flight::clock::time_point now)
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->renewal_failed(now);
    }

    /** @param refusal IAM's refusal, or null @param ec else, the error */
    void fail(const iam_token* refusal, boost::system::error_code ec)
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->fail(refusal, ec);
    }

    /** Gives the login up without an outcome, if it was owed: a waiter makes it instead. */
    void abandon()
    {
        if (auto* f = std::exchange(flight_, nullptr)) f->abandon();
    }

private:
    login_flight* flight_ = nullptr;
};

/** A blocking call's wait for a login: its end, or the call's deadline. */
class login_wait {
public:
    /** @return the waiter to hand to `login_flight::join` */
    login_flight::waiter waiter()
    {
        return [s = state_](const login_outcome& o) {
            {
                std::lock_guard lock(s->mutex);
                s->outcome = o;
            }
            s->ended.notify_one();
        };
    }

    /**
     * Blocks until the login ends, or for at most `left`.
     * @param left the time the call has left (`nanoseconds::max()`: no deadline)
     * @return how the login ended; nothing when the time ran out first
     */
    std::optional<login_outcome> wait_for(std::chrono::nanoseconds left)
    {
        std::unique_lock lock(state_->mutex);
        const auto ended = [this] { return state_->outcome.has_value(); };
        if (left == std::chrono::nanoseconds::max()) state_->ended.wait(lock, ended);
        else state_->ended.wait_for(lock, left, ended);
        return state_->outcome;
    }

private:
    struct state {
        std::mutex mutex;
        std::condition_variable ended;
        std::optional<login_outcome> outcome;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();  // the waiter may outlive the wait: a call past its deadline
};

} // namespace modelarts::detail

#endif
